"""A client of `webdreamer serve` with the Python standard library only (docs/serve.md).

    python3 webdreamer_client.py http://127.0.0.1:7341 out.wav   # token from WEBDREAMER_TOKEN

Renders two seconds of a filtered sawtooth with progress events, writes the WAV the server
encodes, reads the same audio as raw float32, and prints a JSON summary.
"""
import array
import json
import os
import sys
import urllib.error
import urllib.request


class WebdreamerError(Exception):
    """An error answer: its HTTP status and the server's code, path and message."""

    def __init__(self, status, error):
        super().__init__(error.get("message", str(error)))
        self.status = status
        self.code = error.get("code")
        self.path = error.get("path")


class Session:
    """One session of the server: an engine of its own (transport, graph, buffers)."""

    def __init__(self, url, token=None, sample_rate=None):
        self.base = url.rstrip("/") + "/v1alpha"
        self.token = token
        body = {} if sample_rate is None else {"sample_rate": sample_rate}
        info = json.loads(self._send("POST", "/sessions", body).read())
        self.session_id = info["session_id"]
        self.path = "/sessions/" + self.session_id

    def _send(self, method, path, body=None, accept="application/json"):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Accept", accept)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", "Bearer " + self.token)
        try:
            return urllib.request.urlopen(request)
        except urllib.error.HTTPError as answer:
            error = json.loads(answer.read() or b"{}").get("error", {})
            raise WebdreamerError(answer.code, error) from None

    def transport(self):
        return json.loads(self._send("GET", self.path + "/transport").read())

    def render(self, request, on_progress=None):
        """Renders a RenderRequest; with on_progress, reads the server-sent progress events."""
        if on_progress is None:
            return json.loads(self._send("POST", self.path + "/render", request).read())
        answer = self._send("POST", self.path + "/render", request, accept="text/event-stream")
        if not answer.headers.get("Content-Type", "").startswith("text/event-stream"):
            return json.loads(answer.read())
        event, data = None, []
        for raw in answer:
            line = raw.decode().rstrip("\r\n")
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
            elif line == "" and data:
                value = json.loads("\n".join(data))
                if event == "progress":
                    on_progress(value)
                elif event == "result":
                    return value
                elif event == "error":
                    raise WebdreamerError(200, value["error"])
                event, data = None, []
        raise WebdreamerError(200, {"message": "the event stream ended without a result"})

    def cancel(self, render_id):
        return json.loads(self._send("POST", self.path + "/renders/" + render_id + "/cancel").read())

    def read_wav(self, handle, sample_format="float32"):
        query = "?format=wav&sample_format=" + sample_format
        return self._send("GET", self.path + "/buffers/" + handle + query, accept="audio/wav").read()

    def read_float32(self, handle):
        """The channels behind a handle, each an array('f')."""
        answer = self._send("GET", self.path + "/buffers/" + handle + "?format=f32", accept="*/*")
        channels = int(answer.headers["X-Webdreamer-Channels"])
        samples = array.array("f")
        samples.frombytes(answer.read())
        if sys.byteorder == "big":
            samples.byteswap()  # the wire is little-endian
        frames = len(samples) // channels
        return [samples[c * frames:(c + 1) * frames] for c in range(channels)]

    def release(self, handle):
        self._send("DELETE", self.path + "/buffers/" + handle).read()

    def close(self):
        self._send("DELETE", self.path).read()


def main():
    url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:7341"
    out = sys.argv[2] if len(sys.argv) > 2 else "webdreamer.wav"
    session = Session(url, token=os.environ.get("WEBDREAMER_TOKEN"))
    try:
        request = {
            "version": "v1alpha",
            "request_id": "python-example",
            "node_graph": {
                "version": "v1alpha",
                "nodes": [
                    {"name": "osc", "node_id": "builtin:oscillator",
                     "params": {"frequency": 220, "waveform": "saw"}},
                    {"name": "filter", "node_id": "builtin:filter", "inputs": ["osc"],
                     "params": {"mode": "lowpass", "frequency": 1200}},
                ],
                "output": "filter",
            },
            "duration_seconds": 2,
            "sample_rate": 48000,
            "channels": 2,
        }
        reports = []
        result = session.render(request, on_progress=reports.append)
        wav = session.read_wav(result["buffer_handle"])
        with open(out, "wb") as file:
            file.write(wav)
        left, right = session.read_float32(result["buffer_handle"])
        session.release(result["buffer_handle"])
        try:
            session.render(dict(request, channels=0))
        except WebdreamerError as error:
            refused = {"status": error.status, "code": error.code, "path": error.path}
        print(json.dumps({
            "status": result["status"],
            "frames": result["frames"],
            "progress_events": len(reports),
            "last_progress": reports[-1] if reports else None,
            "wav_bytes": len(wav),
            "peak": max(max(abs(x) for x in left), max(abs(x) for x in right)),
            "refused": refused,
        }))
    finally:
        session.close()


if __name__ == "__main__":
    main()
