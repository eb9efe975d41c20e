/** The text of `webdreamer --help`. docs/cli.md explains each flag at length. */
export const USAGE = `Usage: webdreamer render <session.json | song.wdproj | DIR | GLOB | MANIFEST.txt>... -o <out.wav | DIR> [options]

Render webdreamer session files (a RenderRequest plus the WAVs it plays) and project files
(.wdproj: a project and its audio) to WAV.

One session:   webdreamer render take.json -o take.wav
A project:     webdreamer render song.wdproj -o mix.wav --stems stems/   (stems: one per track and bus)
A batch:       webdreamer render sessions/ -o renders/ --jobs 8
Across hosts:  webdreamer render sessions/ -o renders/ --shard $JOB_COMPLETION_INDEX/16

Options:
  -o, --output PATH     out.wav for one session or project; a directory for several (DIR/<name>.wav)
      --seconds S       render S seconds (overrides the session's or project's length)
      --beats B         render B beats on the graph's tempo map (overrides the length)
      --format F        pcm16, pcm24 or float32 (default float32)
      --normalize[=DB]  scale each output to peak at DB dBFS (default -0.1; <= 0),
                        its stems by the same gain; the level only after "=" (two passes)
      --stems DIR       also write each captured node's output: DIR/<name>/<node>.wav
                        with -o a directory, DIR/<node>.wav with -o FILE.wav; a project's
                        stems are its tracks and buses, <track id>.wav
      --stem NAME       capture node NAME as a stem too (repeatable; needs --stems)
      --block-size N    engine block size in frames, 1..4096 (default: a session's own; 128 for a project)
      --sample-rate HZ  render project files at HZ, 3000..768000 (default: each project's
                        own, the highest rate of its audio); not for sessions
  -j, --jobs N          inputs rendered in parallel, on worker threads (default: CPU count)
      --shard I/N       render only inputs whose index in the sorted list is I modulo N (0-based)
      --shards N        the same, I taken from $JOB_COMPLETION_INDEX (Kubernetes Indexed Job)
                        or $AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job); N may also come
                        from $WEBDREAMER_SHARDS
      --timeout S       fail an input that takes longer than S seconds, alone (default 3600; 0: none)
      --allow-outside-paths
                        read session WAVs outside the session's folder (absolute paths, .., links)
  -q, --quiet           no progress or summary on stderr (failures are still printed)
  -h, --help            print this help

Exit status: 0 all rendered, 1 a session or project failed, 2 bad usage.
Also: webdreamer export-wam <graph.json> -o <DIR>  (a graph as a WAM 2.0 plugin; export-wam --help)
      webdreamer serve [--host H --port N --token T]  (the contracts over HTTP; serve --help)
      webdreamer enqueue <inputs> -o <DIR> [--wait]   (a batch on a render-farm queue; enqueue --help)
      webdreamer worker [--redis URL]                 (renders the queue's jobs; worker --help)
      webdreamer status [--redis URL]                 (the queue's jobs; status --help)
See docs/cli.md for the session file format and sharding with job runners, docs/scale-out.md
for the render farm.
`;
