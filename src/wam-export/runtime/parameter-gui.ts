/**
 * The GUI of an exported plugin (WebAudioModule.createGui): one control per exposed parameter, a
 * slider for numbers and a list for choices, made from the parameter infos the node reports. It
 * reads the current values when it opens and sets a parameter as its control moves, through the
 * node's WAM API only (getParameterValues, setParameterValues), so it works in any host that mounts
 * plugin GUIs. Plain DOM, no styles beyond layout: the host's page decides how it looks.
 */
import type { WamNode, WamParameterInfo } from "@webaudiomodules/api";

/** The GUI element of `node`'s parameters (the host mounts it; `title` names it for assistive tech). */
export async function parameterGui(node: WamNode, title: string): Promise<HTMLElement> {
  const [infos, values] = await Promise.all([node.getParameterInfo(), node.getParameterValues(false)]);
  const root = document.createElement("form");
  root.className = "webdreamer-wam-gui";
  root.style.cssText =
    "display:grid;grid-template-columns:max-content 1fr max-content;gap:4px 8px;align-items:center";
  root.setAttribute("aria-label", title);
  for (const info of Object.values(infos) as WamParameterInfo[]) {
    const value = values[info.id]?.value ?? info.defaultValue;
    const label = document.createElement("label");
    label.textContent = info.label || info.id;
    const readout = document.createElement("output");
    const control = info.type === "choice" ? choiceControl(info, value) : sliderControl(info, value);
    control.id = `wdwam-${info.id.replace(/[^A-Za-z0-9_-]/g, "_")}`;
    control.dataset.parameterId = info.id;
    label.htmlFor = control.id;
    const show = () => {
      readout.textContent =
        info.type === "choice"
          ? ""
          : `${Number(control.value).toPrecision(4)}${info.units ? ` ${info.units}` : ""}`;
    };
    control.addEventListener("input", () => {
      show();
      void node.setParameterValues({
        [info.id]: { id: info.id, value: Number(control.value), normalized: false },
      });
    });
    show();
    root.append(label, control, readout);
  }
  return root;
}

function sliderControl(info: WamParameterInfo, value: number): HTMLInputElement {
  const input = document.createElement("input");
  input.type = "range";
  input.min = String(info.minValue);
  input.max = String(info.maxValue);
  // A float slider moves in a thousandth of its range; int and boolean parameters by their step.
  input.step =
    info.discreteStep > 0 ? String(info.discreteStep) : String((info.maxValue - info.minValue) / 1000);
  input.value = String(value);
  return input;
}

function choiceControl(info: WamParameterInfo, value: number): HTMLSelectElement {
  const select = document.createElement("select");
  info.choices.forEach((choice, index) => {
    select.add(new Option(choice, String(index), false, index === value));
  });
  return select;
}
