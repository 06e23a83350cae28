"""A local stand-in for the few Databricks REST endpoints `careerlake ops` uses.

http.server in a thread on 127.0.0.1, so tests drive the real databricks-sdk over real HTTP.
It keeps jobs, runs, grants, uploaded files and Unity Catalog table infos in memory and
records every request.
A run moves one step per runs/get poll: PENDING, RUNNING, then TERMINATED with SUCCESS, or
FAILED on the task named in `fail_task` (whose runs/get-output carries `fail_error`).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    body: bytes


@dataclass
class StubRun:
    run_id: int
    job_id: int
    parameters: dict[str, str]
    polls: int = 0


@dataclass
class DatabricksStub:
    """Fake workspace state; `start()` serves it, `url` is what WorkspaceClient(host=...) takes."""

    jobs: dict[str, int] = field(default_factory=lambda: {"[dev someone] careerlake_daily": 101})
    tasks: tuple[str, ...] = ("load_reference", "ingest_postings", "silver_postings", "gold")
    fail_task: str | None = None
    fail_error: str = "QualityBreachError: silver.postings: critical expectation failed"
    runs: dict[int, StubRun] = field(default_factory=dict)
    grants: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)  # full name -> TableInfo JSON
    requests: list[Recorded] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "stub not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> DatabricksStub:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:  # keep pytest output clean
                pass

            def _handle(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                recorded = Recorded(self.command, unquote(parts.path), query, body)
                stub.requests.append(recorded)
                status, payload = stub.respond(recorded)
                data = b"" if payload is None else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def requests_to(self, method: str, prefix: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path.startswith(prefix)]

    # -- endpoints -------------------------------------------------------------------------

    def respond(self, r: Recorded) -> tuple[int, Any]:
        routes = {
            ("GET", "/api/2.2/jobs/list"): self._jobs_list,
            ("POST", "/api/2.2/jobs/run-now"): self._run_now,
            ("GET", "/api/2.2/jobs/runs/get"): self._runs_get,
            ("GET", "/api/2.2/jobs/runs/get-output"): self._runs_get_output,
            ("GET", "/api/2.2/jobs/runs/list"): self._runs_list,
        }
        if r.path == "/.well-known/databricks-config":  # the SDK's host discovery probe
            return 200, {"workspace_id": "1234567890"}
        if (r.method, r.path) in routes:
            return routes[(r.method, r.path)](r)
        if r.path.startswith("/api/2.1/unity-catalog/permissions/"):
            return self._permissions(r)
        if r.method == "GET" and r.path.startswith("/api/2.1/unity-catalog/tables/"):
            name = r.path.removeprefix("/api/2.1/unity-catalog/tables/")
            if name in self.tables:
                return 200, self.tables[name]
            return 404, {"error_code": "TABLE_DOES_NOT_EXIST", "message": f"Table '{name}' does not exist."}
        if r.method == "PUT" and r.path.startswith("/api/2.0/fs/files/"):
            self.files[r.path.removeprefix("/api/2.0/fs/files")] = r.body
            return 204, None
        return 404, {"error_code": "ENDPOINT_NOT_FOUND", "message": f"stub has no {r.method} {r.path}"}

    def _jobs_list(self, r: Recorded) -> tuple[int, Any]:
        name = r.query.get("name")
        jobs = [
            {"job_id": job_id, "settings": {"name": job_name}}
            for job_name, job_id in self.jobs.items()
            if name is None or job_name == name
        ]
        return 200, {"jobs": jobs, "has_more": False}

    def _run_now(self, r: Recorded) -> tuple[int, Any]:
        request = json.loads(r.body)
        run_id = 9000 + len(self.runs)
        self.runs[run_id] = StubRun(run_id, request["job_id"], request.get("job_parameters") or {})
        return 200, {"run_id": run_id, "number_in_job": run_id}

    def _task_view(self, run: StubRun, index: int) -> dict[str, Any]:
        key = self.tasks[index]
        task: dict[str, Any] = {"task_key": key, "run_id": run.run_id * 100 + index}
        step = run.polls - index  # tasks start one poll apart
        upstream_failed = self.fail_task is not None and self.tasks.index(self.fail_task) < index
        if step <= 0:
            task["state"] = {"life_cycle_state": "PENDING"}
        elif upstream_failed:
            task["state"] = {"life_cycle_state": "TERMINATED", "result_state": "UPSTREAM_FAILED"}
        elif step == 1:
            task["state"] = {"life_cycle_state": "RUNNING"}
        elif key == self.fail_task:
            task["state"] = {
                "life_cycle_state": "TERMINATED",
                "result_state": "FAILED",
                "state_message": "failed",
            }
        else:
            task["state"] = {"life_cycle_state": "TERMINATED", "result_state": "SUCCESS"}
        return task

    def _run_view(self, run: StubRun) -> dict[str, Any]:
        tasks = [self._task_view(run, i) for i in range(len(self.tasks))]
        finished = all(t["state"]["life_cycle_state"] == "TERMINATED" for t in tasks)
        state: dict[str, Any] = {"life_cycle_state": "PENDING" if run.polls == 0 else "RUNNING"}
        if finished:
            ok = all(t["state"]["result_state"] == "SUCCESS" for t in tasks)
            state = {
                "life_cycle_state": "TERMINATED",
                "result_state": "SUCCESS" if ok else "FAILED",
                "state_message": ""
                if ok
                else f"Task {self.fail_task} failed with message: {self.fail_error}",
            }
        return {
            "run_id": run.run_id,
            "job_id": run.job_id,
            "start_time": 1_790_000_000_000 + run.run_id,
            "run_duration": 60_000 * run.polls,
            "state": state,
            "tasks": tasks,
            "job_parameters": [{"name": k, "value": v} for k, v in run.parameters.items()],
        }

    def _runs_get(self, r: Recorded) -> tuple[int, Any]:
        run = self.runs.get(int(r.query["run_id"]))
        if run is None:
            return 404, {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "no such run"}
        view = self._run_view(run)
        run.polls += 1
        return 200, view

    def _runs_get_output(self, r: Recorded) -> tuple[int, Any]:
        task_run_id = int(r.query["run_id"])
        run, index = self.runs[task_run_id // 100], task_run_id % 100
        output: dict[str, Any] = {"metadata": {"run_id": task_run_id, "job_id": run.job_id}}
        if self.tasks[index] == self.fail_task:
            output["error"] = self.fail_error
            output["error_trace"] = f"Traceback (most recent call last):\n  ...\n{self.fail_error}"
        return 200, output

    def _runs_list(self, r: Recorded) -> tuple[int, Any]:
        job_id = int(r.query["job_id"]) if "job_id" in r.query else None
        views = [self._run_view(run) for run in reversed(self.runs.values()) if job_id in (None, run.job_id)]
        return 200, {"runs": views[: int(r.query.get("limit", 25))], "has_more": False}

    def _permissions(self, r: Recorded) -> tuple[int, Any]:
        securable = r.path.removeprefix("/api/2.1/unity-catalog/permissions/")
        current = self.grants.setdefault(securable, {})
        if r.method == "PATCH":
            for change in json.loads(r.body).get("changes", []):
                privileges = current.setdefault(change["principal"], set())
                privileges.update(change.get("add", []))
                privileges.difference_update(change.get("remove", []))
        assignments = [
            {"principal": principal, "privileges": sorted(privileges)}
            for principal, privileges in current.items()
        ]
        return 200, {"privilege_assignments": assignments}
