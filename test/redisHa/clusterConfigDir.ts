import {
  createItemsDatabase,
  sqliteConfig,
  tempDir,
  type TempDir,
} from '../helpers/cliFixtures.js';

/**
 * A temp folder with an SQLite items database and the configurations a `check` / `serve` test
 * writes beside it, each naming that database and the `cluster` settings the test gives. Relative
 * paths in those settings (a `tls.ca` file) resolve in this folder.
 */
export class ClusterConfigDir {
  private constructor(private readonly dir: TempDir) {}

  static create(prefix: string): ClusterConfigDir {
    const dir = tempDir(prefix);
    createItemsDatabase(dir.file('items.db'));
    return new ClusterConfigDir(dir);
  }

  get path(): string {
    return this.dir.path;
  }

  /** Writes `name.yaml` with `cluster:` holding `settings` (YAML lines); returns its path. */
  write(name: string, settings: string[]): string {
    const cluster = settings.map((line) => `  ${line}\n`).join('');
    return this.dir.write(
      `${name}.yaml`,
      sqliteConfig(`sqlite:${this.dir.file('items.db')}`, `cluster:\n${cluster}`),
    );
  }

  remove(): void {
    this.dir.remove();
  }
}
