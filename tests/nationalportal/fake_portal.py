"""A stand-in for the national portal's sync endpoint, written for the tests:
a real HTTP server on 127.0.0.1 that checks the bearer token and validates each
body (required fields, ``yyyyMMddHHmmss`` dates, status codes of the DVCQG
mapping, a known procedure code), records what it accepted, and can be taken
down (connection refused) and brought back on the same port."""

from __future__ import annotations

import json
import re
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from motcua.dossiers.workflow import DVCQG_STATUS

STATUS_CODES = frozenset(code for code, _ in DVCQG_STATUS.values())
REQUIRED = ("MaHoSo", "MaTTHC", "TenTTHC", "ChuHoSo", "MaDonVi", "TrangThaiHoSo")
DATES = ("NgayNopHoSo", "NgayTiepNhan", "NgayHenTra", "NgayTra", "NgayKetThucXuLy")
STEP_DATES = ("ThoiDiemXuLy", "NgayBatDau", "NgayKetThucTheoQuyDinh")
LISTS = (
    "TaiLieuNop",
    "DanhSachLePhi",
    "DanhSachHoSoBoSung",
    "DanhSachGiayToKetQua",
    "QuaTrinhXuLy",
)
# statuses reached only after reception: the reception date must be there
RECEIVED_STATUSES = frozenset({2, 4, 5, 6, 8, 9, 10})
DATE_RE = re.compile(r"\d{14}")


def _date_problem(name: str, value: Any, required: bool = False) -> str:
    if value in ("", None):
        return f"{name} bắt buộc" if required else ""
    if not isinstance(value, str) or not DATE_RE.fullmatch(value):
        return f"{name} phải có dạng yyyyMMddHHmmss"
    try:
        datetime.strptime(value, "%Y%m%d%H%M%S")
    except ValueError:
        return f"{name} không phải ngày giờ hợp lệ"
    return ""


def _step_problems(index: int, step: Any, code: Any) -> list[str]:
    if not isinstance(step, dict):
        return [f"QuaTrinhXuLy[{index}] phải là đối tượng"]
    found = []
    if step.get("MaHoSo") != code:
        found.append(f"QuaTrinhXuLy[{index}].MaHoSo khác hồ sơ")
    if step.get("TrangThai") not in STATUS_CODES:
        found.append(f"QuaTrinhXuLy[{index}].TrangThai không thuộc danh mục")
    for name in STEP_DATES:
        found.append(
            _date_problem(
                f"QuaTrinhXuLy[{index}].{name}",
                step.get(name),
                required=name == "ThoiDiemXuLy",
            )
        )
    return found


def problems(body: Any, known_procedures: set[str] | None) -> list[str]:
    """What the portal refuses in one body (empty: accepted)."""
    if not isinstance(body, dict):
        return ["body must be a JSON object"]
    found = [f"{name} bắt buộc" for name in REQUIRED if body.get(name) in ("", None)]
    status = body.get("TrangThaiHoSo")
    if status not in STATUS_CODES:
        found.append(f"TrangThaiHoSo {status!r} không thuộc danh mục")
    received = status in RECEIVED_STATUSES
    found += [
        _date_problem(name, body.get(name), name == "NgayTiepNhan" and received)
        for name in DATES
    ]
    found += [
        f"{name} phải là danh sách"
        for name in LISTS
        if not isinstance(body.get(name), list)
    ]
    steps = body.get("QuaTrinhXuLy") or []
    if not steps:
        found.append("QuaTrinhXuLy bắt buộc")
    for index, step in enumerate(steps if isinstance(steps, list) else []):
        found += _step_problems(index, step, body.get("MaHoSo"))
    code = body.get("MaTTHC")
    if known_procedures is not None and code and code not in known_procedures:
        found.append(f"MaTTHC {code} không có trong CSDL quốc gia")
    return [item for item in found if item]


class FakePortal:
    def __init__(self, token: str = "portal-token") -> None:
        self.token = token
        self.status = 200  # any other: answered as is, nothing recorded
        self.known_procedures: set[str] | None = None  # None: every code
        self.requests = 0  # every request that reached the server
        self.accepted: list[dict[str, Any]] = []  # bodies accepted, in order
        self.refused: list[dict[str, Any]] = []
        self.keys_seen: set[str] = set()
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                portal.requests += 1
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                if self.headers.get("Authorization") != f"Bearer {portal.token}":
                    self._answer(401, {"error_code": "401", "message": "token"})
                    return
                if portal.status != 200:
                    self._answer(portal.status, {"error_code": str(portal.status)})
                    return
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                found = problems(body, portal.known_procedures)
                if found:
                    portal.refused.append({"body": body, "problems": found})
                    self._answer(
                        400, {"error_code": "INVALID", "message": "; ".join(found)}
                    )
                    return
                key = self.headers.get("Idempotency-Key", "")
                if key not in portal.keys_seen:  # a repeat is acknowledged only
                    portal.keys_seen.add(key)
                    portal.accepted.append(
                        {"body": body, "key": key, "headers": dict(self.headers)}
                    )
                self._answer(200, {"error_code": "0", "message": "Thành công"})

            def _answer(self, status: int, data: dict[str, Any]) -> None:
                raw = json.dumps(data, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args: Any) -> None:
                pass

        self._handler = Handler
        self.server: ThreadingHTTPServer | None = None
        self.port = 0
        self._start()
        self.url = f"http://127.0.0.1:{self.port}/dvcqg/dongbohoso"

    def _start(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def down(self) -> None:
        """Stop listening: connections are refused."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def up(self) -> None:
        """Listen again, on the same port."""
        if self.server is None:
            self._start()

    def bodies(self) -> list[dict[str, Any]]:
        return [seen["body"] for seen in self.accepted]

    def __enter__(self) -> FakePortal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.down()
