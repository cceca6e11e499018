import { createContext, useContext } from 'react';

/**
 * Whether the console is in TV mode (`?kiosk`), for the components deep in a card that draw
 * differently on a wall screen (no sort buttons in a table's header). App provides it.
 */
export const KioskContext = createContext(false);

export const useKiosk = (): boolean => useContext(KioskContext);
