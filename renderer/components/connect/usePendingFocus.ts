import { useCallback, useEffect, useRef } from 'react';

/**
 * Where focus should go once the DOM shows it: a form field, a profile's main button
 * (`{ item: id }`), or any list element by its `data-focus-key` (`{ keep: key }`).
 */
export type FocusTarget = 'name' | 'urls' | 'token' | { item: string } | { keep: string };

/**
 * The connect dialog's focus requests. An action asks for a target with `requestFocus`; after
 * every render the target gets focus as soon as it exists (profiles may still be loading). Call
 * it after the dialog is shown as a modal, whose own focusing must come first.
 */
export function usePendingFocus(initial: FocusTarget | undefined) {
  const listRef = useRef<HTMLUListElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const urlsRef = useRef<HTMLTextAreaElement>(null);
  const tokenRef = useRef<HTMLInputElement>(null);
  const pendingFocus = useRef<FocusTarget | undefined>(initial);

  // Move focus where the last action asked for it, once the DOM shows it.
  useEffect(() => {
    const target = pendingFocus.current;
    if (target === undefined) return;
    let element: HTMLElement | null | undefined;
    if (target === 'name') element = nameRef.current;
    else if (target === 'urls') element = urlsRef.current;
    else if (target === 'token') element = tokenRef.current;
    else if ('item' in target) element = itemButton(listRef.current, target.item);
    else element = byFocusKey(listRef.current, target.keep);
    if (!element) return; // not rendered yet (profiles still loading)
    pendingFocus.current = undefined;
    element.focus();
  });

  const requestFocus = useCallback((target: FocusTarget) => {
    pendingFocus.current = target;
  }, []);

  return { requestFocus, listRef, nameRef, urlsRef, tokenRef };
}

function byFocusKey(list: HTMLElement | null, key: string): HTMLElement | undefined {
  if (!list) return undefined;
  return Array.from(list.querySelectorAll<HTMLElement>('[data-focus-key]')).find(
    (e) => e.dataset.focusKey === key,
  );
}

/** The main button of a profile in the list. */
export function itemButton(list: HTMLElement | null, id: string): HTMLElement | undefined {
  return byFocusKey(list, `item:${id}`);
}
