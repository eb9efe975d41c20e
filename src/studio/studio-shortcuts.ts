/**
 * The studio's keys, heard on the window while the focus is in the studio (or on the page's body):
 * with Keyboard input on the computer keys play, Space plays and pauses, then the arrangement's keys
 * (arrange-edits.ts), and Ctrl/Cmd+Z undoes, Shift+Ctrl/Cmd+Z (or Ctrl+Y) redoes. A key typed into a
 * field stays the field's.
 */
import { isTyping } from "./live-keyboard";

export interface StudioShortcuts {
  /** The studio element: keys from elsewhere on the page are not its. */
  element: HTMLElement;
  /** True when the live keyboard took the key. */
  playKey(event: KeyboardEvent, typing: boolean): boolean;
  playOrPause(): void;
  /** True when the arrangement took the key. */
  arrangeKey(event: KeyboardEvent, typing: boolean): boolean;
  undo(): void;
  redo(): void;
}

export function studioKeyDown(event: KeyboardEvent, keys: StudioShortcuts): void {
  const target = event.composedPath()[0] as HTMLElement | undefined;
  const inStudio = target === document.body || event.composedPath().includes(keys.element);
  if (!inStudio || event.defaultPrevented) return;
  const typing = isTyping(event);
  if (keys.playKey(event, typing)) {
    event.preventDefault();
    return;
  }
  if (event.key === " " && !typing && target?.localName !== "button") {
    event.preventDefault();
    keys.playOrPause();
    return;
  }
  if (keys.arrangeKey(event, typing)) return;
  const mod = event.ctrlKey || event.metaKey;
  if (!mod || typing) return;
  const key = event.key.toLowerCase();
  if (key === "z" && !event.shiftKey) {
    event.preventDefault();
    keys.undo();
  } else if ((key === "z" && event.shiftKey) || key === "y") {
    event.preventDefault();
    keys.redo();
  }
}
