import { useCallback, useEffect, useState } from 'react';
import type { DesktopBridge, Profile } from '../../bridge/DesktopBridge.js';

/**
 * The saved profiles as the connect dialog shows them: loaded once with the storage warning
 * (`profiles` is undefined until then), reloaded after each change. `onLoaded` runs after the
 * first load with the list, or with undefined when it could not be loaded; a new `bridge` or
 * `onLoaded` loads again.
 */
export function useProfiles(
  bridge: DesktopBridge,
  onLoaded: (list: Profile[] | undefined) => void,
) {
  const [profiles, setProfiles] = useState<Profile[] | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | undefined>(undefined);
  const [warning, setWarning] = useState<string | undefined>(undefined);

  const reload = useCallback(async (): Promise<Profile[]> => {
    const list = await bridge.listProfiles();
    setProfiles(list);
    setLoadError(undefined);
    return list;
  }, [bridge]);

  useEffect(() => {
    const run = { cancelled: false };
    void (async () => {
      try {
        const [list, storageWarning] = await Promise.all([
          bridge.listProfiles(),
          bridge.storageWarning(),
        ]);
        if (run.cancelled) return;
        setProfiles(list);
        setWarning(storageWarning);
        onLoaded(list);
      } catch (error) {
        if (run.cancelled) return;
        setProfiles([]);
        setLoadError(`Saved profiles could not be loaded: ${(error as Error).message}`);
        onLoaded(undefined);
      }
    })();
    return () => {
      run.cancelled = true;
    };
  }, [bridge, onLoaded]);

  return { profiles, loadError, warning, reload };
}
