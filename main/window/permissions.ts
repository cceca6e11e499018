import type { Session } from 'electron';

/**
 * The console needs no browser permission (camera, notifications, geolocation, clipboard-read,
 * HID...): every request and every check is denied. Desktop notifications come from the main
 * process instead.
 */
export function denyAllPermissions(target: Session): void {
  target.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  target.setPermissionCheckHandler(() => false);
  target.setDevicePermissionHandler(() => false);
}
