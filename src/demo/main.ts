// The live demo page: one <webdreamer-player> playing its default patch, and whether the page is
// cross-origin isolated (the player works either way; it only picks a different data plane).
import "../components/webdreamer-player";

const isolated = document.querySelector<HTMLElement>("#isolated");
if (!isolated) throw new Error("demo page markup is incomplete: #isolated is missing");

isolated.textContent = self.crossOriginIsolated
  ? "yes (SharedArrayBuffer available)"
  : "no (message-port fallback)";
