// @ts-check
/**
 * The small glob language of the layer table, over repository-relative POSIX paths:
 * `*` (any characters but `/`), `**` (any number of folders), `{a,b}` (alternatives, one may be
 * empty). A pattern without a wildcard names one file; its extension is ignored, so
 * `server/log.ts` also matches the specifier `../log.js` resolved to `server/log.js`.
 */

const CODE_EXTENSION = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/** @param {string} path */
export const stripCodeExtension = (path) => path.replace(CODE_EXTENSION, '');

/**
 * @typedef {object} PathPattern
 * @property {string} source the pattern as written
 * @property {(path: string) => boolean} test whether a repository-relative path matches
 * @property {number} specificity exact files first, then the longest literal prefix, then
 *   `{a,b}` before `*` before `**`
 */

/**
 * @param {string} glob
 * @returns {string} the regular expression source of a glob
 */
function globSource(glob) {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') {
      out += '[^/]*';
    } else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) throw new Error(`layer table: unclosed "{" in ${glob}`);
      out += `(?:${glob
        .slice(i + 1, end)
        .split(',')
        .map(globSource)
        .join('|')})`;
      i = end;
    } else {
      out += c.replace(/[.+?^$()|[\]\\]/g, '\\$&');
    }
  }
  return out;
}

/**
 * @param {string} pattern
 * @returns {PathPattern}
 */
export function pathPattern(pattern) {
  if (pattern.startsWith('/') || pattern.startsWith('.')) {
    throw new Error(`layer table: patterns are relative to the repository root: ${pattern}`);
  }
  const re = new RegExp(`^${globSource(pattern)}$`);
  const bare = new RegExp(`^${globSource(stripCodeExtension(pattern))}$`);
  const wildcard = pattern.search(/[*{]/);
  return {
    source: pattern,
    test: (path) => re.test(path) || bare.test(stripCodeExtension(path)),
    specificity:
      wildcard < 0
        ? 1e6 + pattern.length
        : wildcard * 4 + (pattern.includes('**') ? 0 : 2) + (pattern.includes('*') ? 0 : 1),
  };
}
