// Saves a project into OPFS with autosave, loads it back (after the test reloads the page), and
// zips it, for e2e/project-persistence.spec.ts.
import type { AudioData } from "../../src/audio-io/wav-codec";
import { ProjectEditor } from "../../src/project/project-editor";
import {
  autosaveProject,
  loadProjectFromDirectory,
  saveProjectToDirectory,
} from "../../src/project/project-opfs";
import { sha256Hex } from "../../src/project/project-package";
import { zipProject } from "../../src/project/project-zip";
import { projectSong } from "../../test/support/project-song";

async function directoryNamed(name: string, fresh = false): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  if (fresh) await root.removeEntry(name, { recursive: true }).catch(() => undefined);
  return root.getDirectoryHandle(name, { create: true });
}

/** The SHA-256 of audio's float32 samples, channel after channel. */
async function audioHash(audio: ReadonlyMap<string, AudioData>): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const [id, data] of audio) {
    const bytes = new Uint8Array(data.channels.reduce((sum, channel) => sum + channel.byteLength, 0));
    let at = 0;
    for (const channel of data.channels) {
      bytes.set(new Uint8Array(channel.buffer, channel.byteOffset, channel.byteLength), at);
      at += channel.byteLength;
    }
    hashes[id] = `${data.sampleRate}/${data.channels.length}/${await sha256Hex(bytes)}`;
  }
  return hashes;
}

/** Opens the song in an editor with autosave, makes two edits, waits for the save. */
async function editWithAutosave(name: string) {
  const directory = await directoryNamed(name, true);
  const { project, audio } = projectSong();
  const editor = new ProjectEditor(project);
  let saves = 0;
  const autosave = autosaveProject(editor, directory, {
    audio: () => audio,
    delayMs: 20,
    onSaved: () => saves++,
  });
  editor.execute({ type: "set_mixer", track_id: "bass", mixer: { volume_db: -6, pan: 0.25 } });
  editor.execute({ type: "rename_track", track_id: "drums", name: "Loop" });
  await autosave.flush();
  autosave.stop();
  return {
    project: JSON.stringify(editor.project),
    isSaved: editor.isSaved,
    saves,
    audio: await audioHash(audio),
  };
}

async function loadSaved(name: string) {
  const { project, audio } = await loadProjectFromDirectory(await directoryNamed(name));
  return { project: JSON.stringify(project), audio: await audioHash(audio) };
}

/** A save the project cannot make (its audio missing): the error's message. */
async function failingSave(name: string): Promise<string> {
  const { project } = await loadProjectFromDirectory(await directoryNamed(name));
  try {
    await saveProjectToDirectory(await directoryNamed(name), {
      project: { ...project, name: "never saved" },
      audio: new Map(),
    });
    return "saved";
  } catch (error) {
    return (error as Error).message;
  }
}

/** The saved project as a .wdproj file's bytes. */
async function zipSaved(name: string): Promise<number[]> {
  return Array.from(await zipProject(await loadProjectFromDirectory(await directoryNamed(name))));
}

/** A corrupt project.json written over the save: the load's error. */
async function corruptAndLoad(name: string): Promise<string> {
  const directory = await directoryNamed(name);
  const writable = await (await directory.getFileHandle("project.json")).createWritable();
  await writable.write('{"format": "webdreamer-project", "format_version": 9}');
  await writable.close();
  try {
    await loadProjectFromDirectory(directory);
    return "loaded";
  } catch (error) {
    return (error as Error).message;
  }
}

Object.assign(window, { editWithAutosave, loadSaved, failingSave, zipSaved, corruptAndLoad });
