"""A local stand-in for the Databricks workspace REST API that `databricks bundle` calls.

`make bundle-check` points the real Databricks CLI at it (DATABRICKS_HOST=http://127.0.0.1:<port>)
to run `bundle validate` and `bundle deploy`. It keeps workspace files and folders, jobs,
Unity Catalog schemas, volumes and grants, Lakeview dashboards and object permissions in
memory, answers as the workspace would (404 RESOURCE_DOES_NOT_EXIST for a missing object),
and records every request it has no route for in `unknown`, so a new CLI call shows up as a
failed check naming its path instead of a silent success.

The caller is a user, or a service principal when `user_name` is an application id (the CLI
treats a UUID user name as a service principal).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

Response = tuple[int, Any]  # status, JSON payload (bytes are sent as they are)
# The CLI uploads bundle files on many connections at once. With socketserver's backlog of 5 the
# kernel dropped their handshakes (28 in one bundle check) and a deploy beside the tests failed
# mid-upload; keep-alive also spares most of those connections (docs/benchmarks.md).
LISTEN_BACKLOG = 128
NOT_FOUND = "RESOURCE_DOES_NOT_EXIST"


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    body: bytes

    def json(self) -> dict[str, Any]:
        return json.loads(self.body) if self.body else {}


def _missing(what: str) -> Response:
    return 404, {"error_code": NOT_FOUND, "message": f"{what} does not exist."}


@dataclass
class WorkspaceStub:
    """In-memory workspace; `start()` serves it on 127.0.0.1, `url` is the DATABRICKS_HOST."""

    user_name: str = "jane.doe@example.com"
    files: dict[str, bytes] = field(default_factory=dict)
    folders: set[str] = field(default_factory=lambda: {"/", "/Workspace", "/Workspace/Users"})
    jobs: dict[int, dict[str, Any]] = field(default_factory=dict)
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)
    volumes: dict[str, dict[str, Any]] = field(default_factory=dict)
    dashboards: dict[str, dict[str, Any]] = field(default_factory=dict)
    grants: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    permissions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1001))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "stub not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def is_service_principal(self) -> bool:
        return re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", self.user_name) is not None

    def start(self) -> WorkspaceStub:
        stub = self

        class Server(ThreadingHTTPServer):
            request_queue_size = LISTEN_BACKLOG

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: Any) -> None:  # the check prints its own summary
                pass

            def _handle(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                with stub._lock:
                    status, payload = stub.respond(Request(self.command, unquote(parts.path), query, body))
                raw = payload if isinstance(payload, bytes) else json.dumps(payload or {}).encode()
                self.send_response(status)
                kind = "application/octet-stream" if isinstance(payload, bytes) else "application/json"
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(raw)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

        self._server = Server(("127.0.0.1", 0), Handler)
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # -- routing ---------------------------------------------------------------------------

    def respond(self, r: Request) -> Response:
        routes: list[tuple[str, str, Callable[[Request, re.Match[str]], Response]]] = [
            ("GET", r"/\.well-known/databricks-config", self._host_metadata),
            ("GET", r"/api/2\.0/preview/scim/v2/Me", self._me),
            ("GET", r"/api/2\.0/workspace/get-status", self._get_status),
            ("POST", r"/api/2\.0/workspace/mkdirs", self._mkdirs),
            ("GET", r"/api/2\.0/workspace/list", self._list),
            ("POST", r"/api/2\.0/workspace/delete", self._delete),
            ("GET", r"/api/2\.0/workspace/export", self._export),
            ("POST", r"/api/2\.0/workspace-files/import-file/(?P<path>.+)", self._import_file),
            ("GET", r"/api/2\.0/workspace-files/(?P<path>.+)", self._read_file),
            ("POST", r"/api/2\.[12]/jobs/create", self._job_create),
            ("POST", r"/api/2\.[12]/jobs/reset", self._job_reset),
            ("GET", r"/api/2\.[12]/jobs/get", self._job_get),
            ("POST", r"/api/2\.[12]/jobs/delete", self._job_delete),
            ("POST", r"/api/2\.1/unity-catalog/schemas", self._schema_create),
            ("GET|PATCH|DELETE", r"/api/2\.1/unity-catalog/schemas/(?P<name>[^/]+)", self._schema),
            ("POST", r"/api/2\.1/unity-catalog/volumes", self._volume_create),
            ("GET|PATCH|DELETE", r"/api/2\.1/unity-catalog/volumes/(?P<name>[^/]+)", self._volume),
            ("GET|PATCH", r"/api/2\.1/unity-catalog/permissions/(?P<kind>\w+)/(?P<name>[^/]+)", self._grants),
            ("POST", r"/api/2\.0/lakeview/dashboards", self._dashboard_create),
            ("GET|PATCH|DELETE", r"/api/2\.0/lakeview/dashboards/(?P<id>[^/]+)", self._dashboard),
            ("POST|GET", r"/api/2\.0/lakeview/dashboards/(?P<id>[^/]+)/published", self._dashboard_publish),
            ("GET|PUT|PATCH", r"/api/2\.0/permissions/(?P<object>.+)", self._permissions),
            ("POST", r"/telemetry-ext", lambda r, m: (200, {})),
        ]
        for methods, pattern, handler in routes:
            match = re.fullmatch(pattern, r.path)
            if match and r.method in methods.split("|"):
                return handler(r, match)
        self.unknown.append(f"{r.method} {r.path}")
        return 404, {"error_code": "ENDPOINT_NOT_FOUND", "message": f"stub has no {r.method} {r.path}"}

    # -- identity --------------------------------------------------------------------------

    def _host_metadata(self, r: Request, m: re.Match[str]) -> Response:
        """What the SDK discovers about a host before its first call."""
        return 200, {"workspace_id": "900800700600", "oidc_endpoint": f"{self.url}/oidc"}

    def _me(self, r: Request, m: re.Match[str]) -> Response:
        return 200, {
            "id": "4242",
            "userName": self.user_name,
            "displayName": "careerlake-deployer" if self.is_service_principal else "Jane Doe",
            "active": True,
            "groups": [{"display": "users", "value": "1"}],
        }

    # -- workspace files -------------------------------------------------------------------

    def _add_folder(self, path: str) -> None:
        while path not in self.folders:
            self.folders.add(path)
            path = path.rsplit("/", 1)[0] or "/"

    def _get_status(self, r: Request, m: re.Match[str]) -> Response:
        path = r.query["path"].rstrip("/") or "/"
        if path in self.folders:
            return 200, {"path": path, "object_type": "DIRECTORY", "object_id": abs(hash(path)) % 10**9}
        if path in self.files:
            return 200, {"path": path, "object_type": "FILE", "object_id": abs(hash(path)) % 10**9}
        return _missing(f"Path ({path})")

    def _mkdirs(self, r: Request, m: re.Match[str]) -> Response:
        self._add_folder(r.json()["path"].rstrip("/"))
        return 200, {}

    def _list(self, r: Request, m: re.Match[str]) -> Response:
        path = r.query["path"].rstrip("/")
        if path not in self.folders:
            return _missing(f"Path ({path})")
        children = [
            {"path": p, "object_type": kind}
            for kind, paths in (("DIRECTORY", self.folders), ("FILE", self.files))
            for p in paths
            if p != path and p.rsplit("/", 1)[0] == path
        ]
        return 200, {"objects": children}

    def _delete(self, r: Request, m: re.Match[str]) -> Response:
        path = r.json()["path"].rstrip("/")
        if path not in self.files and path not in self.folders:
            return _missing(f"Path ({path})")
        self.files = {p: b for p, b in self.files.items() if p != path and not p.startswith(path + "/")}
        self.folders = {p for p in self.folders if p != path and not p.startswith(path + "/")}
        return 200, {}

    def _export(self, r: Request, m: re.Match[str]) -> Response:
        path = r.query["path"]
        if path not in self.files:
            return _missing(f"Path ({path})")
        return 200, self.files[path]

    def _read_file(self, r: Request, m: re.Match[str]) -> Response:
        path = "/" + m["path"]
        return (200, self.files[path]) if path in self.files else _missing(f"Path ({path})")

    def _import_file(self, r: Request, m: re.Match[str]) -> Response:
        path = "/" + m["path"]
        parent = path.rsplit("/", 1)[0]
        if parent not in self.folders:
            return _missing(f"The parent folder ({parent})")
        if path in self.files and r.query.get("overwrite") != "true":
            return 409, {"error_code": "RESOURCE_ALREADY_EXISTS", "message": f"{path} already exists."}
        self.files[path] = r.body
        return 200, {}

    # -- jobs ------------------------------------------------------------------------------

    def _job_create(self, r: Request, m: re.Match[str]) -> Response:
        job_id = next(self._ids)
        self.jobs[job_id] = r.json()
        return 200, {"job_id": job_id}

    def _job_reset(self, r: Request, m: re.Match[str]) -> Response:
        request = r.json()
        if int(request["job_id"]) not in self.jobs:
            return _missing(f"Job {request['job_id']}")
        self.jobs[int(request["job_id"])] = request["new_settings"]
        return 200, {}

    def _job_get(self, r: Request, m: re.Match[str]) -> Response:
        job_id = int(r.query["job_id"])
        if job_id not in self.jobs:
            return _missing(f"Job {job_id}")
        return 200, {"job_id": job_id, "creator_user_name": self.user_name, "settings": self.jobs[job_id]}

    def _job_delete(self, r: Request, m: re.Match[str]) -> Response:
        return (200, {}) if self.jobs.pop(int(r.json()["job_id"]), None) is not None else _missing("Job")

    # -- Unity Catalog ---------------------------------------------------------------------

    def _schema_create(self, r: Request, m: re.Match[str]) -> Response:
        schema = r.json()
        full_name = f"{schema['catalog_name']}.{schema['name']}"
        schema |= {"full_name": full_name, "owner": self.user_name}
        self.schemas[full_name] = schema
        return 200, schema

    def _schema(self, r: Request, m: re.Match[str]) -> Response:
        return self._uc_object(r, self.schemas, m["name"], "Schema")

    def _volume_create(self, r: Request, m: re.Match[str]) -> Response:
        volume = r.json()
        full_name = f"{volume['catalog_name']}.{volume['schema_name']}.{volume['name']}"
        volume |= {"full_name": full_name, "volume_id": f"v-{next(self._ids)}", "owner": self.user_name}
        self.volumes[full_name] = volume
        return 200, volume

    def _volume(self, r: Request, m: re.Match[str]) -> Response:
        return self._uc_object(r, self.volumes, m["name"], "Volume")

    @staticmethod
    def _uc_object(r: Request, store: dict[str, dict[str, Any]], name: str, kind: str) -> Response:
        if name not in store:
            return _missing(f"{kind} '{name}'")
        if r.method == "DELETE":
            del store[name]
            return 200, {}
        if r.method == "PATCH":
            update = {k: v for k, v in r.json().items() if k != "new_name"}
            store[name] |= update
        return 200, store[name]

    def _grants(self, r: Request, m: re.Match[str]) -> Response:
        current = self.grants.setdefault(f"{m['kind']}/{m['name']}", [])
        if r.method == "PATCH":
            for change in r.json().get("changes", []):
                entry = next((g for g in current if g["principal"] == change["principal"]), None)
                if entry is None:
                    entry = {"principal": change["principal"], "privileges": []}
                    current.append(entry)
                privileges = (set(entry["privileges"]) | set(change.get("add", []))) - set(
                    change.get("remove", [])
                )
                entry["privileges"] = sorted(privileges)
        return 200, {"privilege_assignments": current}

    # -- dashboards and permissions --------------------------------------------------------

    def _dashboard_create(self, r: Request, m: re.Match[str]) -> Response:
        dashboard = r.json() | r.query  # dataset_catalog and dataset_schema are query parameters
        dashboard_id = f"d{next(self._ids)}"
        dashboard |= {
            "dashboard_id": dashboard_id,
            "etag": "1",
            "lifecycle_state": "ACTIVE",
            "path": f"{dashboard.get('parent_path', '')}/{dashboard.get('display_name')}.lvdash.json",
        }
        self.dashboards[dashboard_id] = dashboard
        return 200, dashboard

    def _dashboard(self, r: Request, m: re.Match[str]) -> Response:
        if m["id"] not in self.dashboards:
            return _missing(f"Dashboard {m['id']}")
        if r.method == "DELETE":
            del self.dashboards[m["id"]]
        elif r.method == "PATCH":
            etag = str(int(self.dashboards[m["id"]]["etag"]) + 1)
            self.dashboards[m["id"]] |= r.json() | r.query | {"etag": etag}
        return 200, self.dashboards.get(m["id"], {})

    def _dashboard_publish(self, r: Request, m: re.Match[str]) -> Response:
        if m["id"] not in self.dashboards:
            return _missing(f"Dashboard {m['id']}")
        return 200, {"display_name": self.dashboards[m["id"]].get("display_name"), **r.json()}

    def _permissions(self, r: Request, m: re.Match[str]) -> Response:
        current = self.permissions.setdefault(m["object"], [])
        if r.method in {"PUT", "PATCH"}:
            acl = r.json().get("access_control_list", [])
            self.permissions[m["object"]] = acl if r.method == "PUT" else current + acl
        object_type, _, object_id = m["object"].rpartition("/")
        entries = [
            {
                **{k: v for k, v in entry.items() if k != "permission_level"},
                "all_permissions": [{"permission_level": entry.get("permission_level"), "inherited": False}],
            }
            for entry in self.permissions[m["object"]]
        ]
        return 200, {
            "object_id": f"/{object_type}/{object_id}",
            "object_type": object_type,
            "access_control_list": entries,
        }
