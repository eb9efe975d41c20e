import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";

import { stemFileNames, stemsZipName, zipStems } from "../../src/studio/stems-export";

describe("stemFileNames", () => {
  it("names each stem after its track, in project order, its place in front", () => {
    const names = stemFileNames([
      { id: "t1", name: "Lead vox!" },
      { id: "t2", name: "Lead vox" },
      { id: "bus-a", name: "  " },
    ]);
    expect([...names]).toEqual([
      ["t1", "01-Lead-vox.wav"],
      ["t2", "02-Lead-vox.wav"],
      ["bus-a", "03-bus-a.wav"],
    ]);
  });

  it("widens the place for 100 tracks and more, so the names still sort in project order", () => {
    const tracks = Array.from({ length: 100 }, (_, index) => ({ id: `t${index}`, name: "Kick" }));
    const names = [...stemFileNames(tracks).values()];
    expect(names[0]).toBe("001-Kick.wav");
    expect(names[99]).toBe("100-Kick.wav");
    expect(new Set(names).size).toBe(100);
    expect([...names].sort()).toEqual(names);
  });
});

describe("zipStems", () => {
  const tracks = [
    { id: "t1", name: "Drums" },
    { id: "t2", name: "Bass" },
  ];
  const stems = new Map([
    ["t2", new Uint8Array([4, 5])],
    ["t1", new Uint8Array([1, 2, 3])],
  ]);

  it("holds one file per track, its WAV bytes unchanged, and zips the same stems to the same bytes", () => {
    const zip = zipStems(tracks, stems);
    const entries = unzipSync(zip);
    expect(Object.keys(entries)).toEqual(["01-Drums.wav", "02-Bass.wav"]);
    expect([...(entries["01-Drums.wav"] ?? [])]).toEqual([1, 2, 3]);
    expect([...(entries["02-Bass.wav"] ?? [])]).toEqual([4, 5]);
    expect(zipStems(tracks, stems)).toEqual(zip);
  });

  it("names the track whose stem is missing", () => {
    expect(() => zipStems([...tracks, { id: "t3", name: "Keys" }], stems)).toThrow(
      'the export has no stem of track "t3"',
    );
  });
});

describe("stemsZipName", () => {
  it("is the project's file name with -stems.zip", () => {
    expect(stemsZipName("My Song")).toBe("My-Song-stems.zip");
    expect(stemsZipName("")).toBe("untitled-stems.zip");
  });
});
