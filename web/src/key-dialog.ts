import { byId } from "./dom.js";

/**
 * Shows the key dialog and resolves with what was entered, or null when it was cancelled.
 * `again`: the key in use was refused, so say so.
 */
export function askForKey(again: boolean): Promise<string | null> {
  const dialog = byId<HTMLDialogElement>("key-dialog");
  const form = byId<HTMLFormElement>("key-form");
  const input = byId<HTMLInputElement>("key-input");
  byId("key-why").textContent = again
    ? "The service refused that key. Enter the right one; it is kept for this browser tab only."
    : "This mosaic service needs an API key. It is kept for this browser tab only.";
  input.value = "";
  return new Promise((resolve) => {
    const done = (value: string | null) => {
      form.removeEventListener("submit", onSubmit);
      dialog.removeEventListener("close", onClose);
      byId("key-cancel").removeEventListener("click", onCancel);
      if (dialog.open) dialog.close();
      resolve(value);
    };
    const onSubmit = (event: Event) => {
      event.preventDefault();
      const key = input.value.trim();
      if (key) done(key);
    };
    const onClose = () => done(null);
    const onCancel = () => done(null);
    form.addEventListener("submit", onSubmit);
    dialog.addEventListener("close", onClose);
    byId("key-cancel").addEventListener("click", onCancel);
    dialog.showModal();
    input.focus();
  });
}
