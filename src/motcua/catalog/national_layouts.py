"""The two forms of the national layout, read into :class:`national.Published`.

JSON: the document of the national sharing service (``{"result": [...]}`` or a
bare list), one object per procedure with upper-case keys (``MATTHC``,
``CACHTHUCTHUCHIEN``, …; ``national.NATIONAL_KEYS``). Excel: one sheet per
section of the procedure page — "Thủ tục", "Cách thức thực hiện", "Thành phần
hồ sơ", "Căn cứ pháp lý" — columns found by their header, rows tied by "Mã
TTHC". Both give the same :class:`Published` objects, mapped by ``national_mapping``.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from motcua.core.dates import parse_date, vn_date
from motcua.core.text import fold

from .national_mapping import CHANNEL_BY_KENH, Channel, Published
from .national_values import (
    clean_line,
    count,
    counts,
    fee_from_amount,
    fee_from_text,
    lines,
    time_from_fields,
    time_from_text,
)
from .rows import Issue

PROCEDURES = "Thủ tục"
CHANNELS = "Cách thức thực hiện"
DOCUMENTS = "Thành phần hồ sơ"
LAWS = "Căn cứ pháp lý"
# folded header → key; several spellings seen for the same column. Seen in
# public material: "Mã TTHC", "Tên TTHC", "QĐ Công bố", "Lĩnh vực", "Cấp thực
# hiện" (the national list export), "Hình thức nộp", "Thời hạn giải quyết",
# "Phí, lệ phí", "Mô tả", "Tên giấy tờ", "Mẫu đơn, tờ khai", "Số lượng" (the
# tables of a procedure page). Ours, chưa đối chiếu: the sheet names, "Ngày hiệu
# lực", "Mã lĩnh vực", "Kết quả thực hiện", "Mức độ", "Trường hợp" and the
# columns of "Căn cứ pháp lý".
HEADERS = {
    PROCEDURES: {
        "ma tthc": "code",
        "ma thu tuc": "code",
        "ten tthc": "name",
        "ten thu tuc": "name",
        "qd cong bo": "decision",
        "quyet dinh cong bo": "decision",
        "so quyet dinh": "decision",
        "ngay hieu luc": "effective",
        "linh vuc": "field_name",
        "ma linh vuc": "field_code",
        "cap thuc hien": "levels",
        "ket qua thuc hien": "results",
        "muc do": "online_level",
    },
    CHANNELS: {
        "ma tthc": "code",
        "ma thu tuc": "code",
        "hinh thuc nop": "channel",
        "thoi han giai quyet": "time",
        "phi, le phi": "fee",
        "phi le phi": "fee",
        "mo ta": "description",
    },
    DOCUMENTS: {
        "ma tthc": "code",
        "ma thu tuc": "code",
        "truong hop": "case",
        "ten giay to": "name",
        "mau don, to khai": "form",
        "so luong": "counts",
        "ban chinh": "originals",
        "ban sao": "copies",
    },
    LAWS: {
        "ma tthc": "code",
        "ma thu tuc": "code",
        "so ky hieu": "number",
        "trich yeu": "title",
        "ngay ban hanh": "issued",
        "co quan ban hanh": "issuer",
    },
}
REQUIRED = {
    PROCEDURES: ("code", "name"),
    CHANNELS: ("code", "channel", "time"),
    DOCUMENTS: ("code", "name"),
    LAWS: ("code", "number"),
}


def _structure(where: str, message: str) -> Issue:
    return Issue(where, message, "national.bad_structure")


def money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def fee_line(description: Any, amount: int | None) -> str:
    """A fee as text: its description, with the amount when it does not say it."""
    text = clean_line(description)
    if not amount:
        return text or "Không"
    shown = f"{money(amount)} đồng"
    return text if money(amount) in text else (f"{text}: {shown}" if text else shown)


def law_line(item: Published, where: str, values: dict[str, Any]) -> str:
    """ "Số ký hiệu — trích yếu (ban hành dd/mm/yyyy; cơ quan)"."""
    issued_raw = values.get("issued")
    issued: date | None = None
    if isinstance(issued_raw, datetime):
        issued = issued_raw.date()
    elif isinstance(issued_raw, date):
        issued = issued_raw
    elif issued_raw not in (None, ""):
        issued = parse_date(str(issued_raw).strip()[:10])
        if issued is None:
            item.issues.append(
                Issue(
                    where,
                    f"Căn cứ pháp lý: ngày ban hành «{issued_raw}» không phải là ngày.",
                    "national.bad_date",
                )
            )
    head = " — ".join(
        t
        for t in (clean_line(values.get("number")), clean_line(values.get("title")))
        if t
    )
    extras = [f"ban hành {vn_date(issued)}"] if issued else []
    extras += [t for t in (clean_line(values.get("issuer")),) if t]
    return f"{head} ({'; '.join(extras)})" if extras else head


def _channel_from_label(label: Any) -> str | None:
    folded = fold(str(label or ""))
    for words, channel in (
        ("truc tiep", "direct"),
        ("truc tuyen", "online"),
        ("buu chinh", "postal"),
    ):
        if words in folded:
            return channel
    return None


# --- JSON ----------------------------------------------------------------------


def _list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def _dicts(item: Published, where: str, key: str, value: Any) -> list[dict[str, Any]]:
    entries = _list(value)
    if not all(isinstance(e, dict) for e in entries):
        item.issues.append(_structure(where, f"{key}: phải là danh sách đối tượng."))
        return []
    return entries


def _json_channels(item: Published, data: dict[str, Any]) -> None:
    entries = _dicts(item, item.where, "CACHTHUCTHUCHIEN", data.get("CACHTHUCTHUCHIEN"))
    for n, entry in enumerate(entries, start=1):
        where = f"{item.where}, CACHTHUCTHUCHIEN {n}"
        name = CHANNEL_BY_KENH.get(str(entry.get("KENH", "")).strip())
        if name is None:
            item.issues.append(
                Issue(
                    where,
                    f"KENH: «{entry.get('KENH')}» không rõ (1 trực tiếp, 2 trực tuyến,"
                    " 3 bưu chính).",
                    "national.channel",
                )
            )
            continue
        channel = Channel(name, where)
        for t in _dicts(item, where, "THOIGIAN", entry.get("THOIGIAN")):
            time = item.take(
                where,
                "Thời hạn giải quyết",
                time_from_fields,
                t.get("THOIGIANGIAIQUYET"),
                t.get("DONVITINH"),
                t.get("MOTA"),
            )
            if time is not None:
                channel.times.append((time[0], time[1].value))
            for fee in _dicts(item, where, "PHILEPHI", t.get("PHILEPHI")):
                amount = item.take(
                    where,
                    "Phí, lệ phí",
                    fee_from_amount,
                    fee.get("SOTIEN"),
                    fee.get("MOTA"),
                )
                if amount is not None:
                    channel.amounts.append(amount)
                    channel.fee_texts.append(fee_line(fee.get("MOTA"), amount))
        item.channels.append(channel)


def _copies(originals: Any, copies: Any) -> tuple[int, int]:
    return count(originals, "Số bản chính"), count(copies, "Số bản sao")


def _json_documents(item: Published, data: dict[str, Any]) -> None:
    cases = _dicts(item, item.where, "THANHPHANHOSO", data.get("THANHPHANHOSO"))
    for case in cases:
        label = clean_line(case.get("TRUONGHOP"))
        for doc in _dicts(item, item.where, "GIAYTO", case.get("GIAYTO")):
            name = clean_line(doc.get("TENGIAYTO"))
            found = item.take(
                item.where,
                f"Thành phần hồ sơ «{name}»",
                _copies,
                doc.get("SOBANCHINH"),
                doc.get("SOBANSAO"),
            )
            if found is not None and name:
                item.documents.append((label, name, *found))


def _json_item(n: int, data: Any) -> Published:
    if not isinstance(data, dict):
        item = Published(f"mục {n}", None, None)
        item.issues.append(_structure(item.where, "phải là một đối tượng."))
        return item
    code = data.get("MATTHC", data.get("MaTTHC"))
    item = Published(f"mục {n} ({code})" if code else f"mục {n}", code, "")
    item.name = data.get("TENTTHC", "")
    if not clean_line(item.name):
        item.issues.append(
            Issue(item.where, "TENTTHC: không có tên thủ tục.", "national.no_name")
        )
    fields = _dicts(item, item.where, "LINHVUCTHUCHIEN", data.get("LINHVUCTHUCHIEN"))
    for f in fields[:1]:  # the first is the procedure's field
        item.field_code = str(f.get("MALINHVUC") or "").strip()
        item.field_name = clean_line(f.get("TENLINHVUC"))
    for level in _list(data.get("CAPTHUCHIEN")):
        value = level.get("CAPTHUCHIEN") if isinstance(level, dict) else level
        item.levels.append(str(value or "").strip())
    _json_channels(item, data)
    _json_documents(item, data)
    for result in _list(data.get("KETQUATHUCHIEN")):
        text = result.get("TENKETQUA") if isinstance(result, dict) else result
        item.results += lines(text)
    for law in _dicts(item, item.where, "CANCUPHAPLY", data.get("CANCUPHAPLY")):
        values = {
            "number": law.get("SOVANBAN"),
            "title": law.get("TENVANBAN"),
            "issued": law.get("NGAYBANHANH"),
            "issuer": law.get("COQUANBANHANH"),
        }
        item.legal_basis.append(law_line(item, item.where, values))
    item.decision = clean_line(data.get("SOQUYETDINH"))
    item.effective = data.get("NGAYHIEULUC")
    item.online_level = data.get("MUCDO")
    return item


def read_json(content: bytes) -> tuple[list[Published], list[Issue]]:
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return [], [_structure("tệp", "tệp không phải UTF-8.")]
    except json.JSONDecodeError as exc:
        return [], [_structure(f"dòng {exc.lineno}", f"JSON không hợp lệ ({exc.msg}).")]
    if isinstance(document, dict):
        document = document.get("result")
    if not isinstance(document, list):
        return [], [
            _structure("tệp", 'cần một danh sách thủ tục hoặc {"result": [...]}.')
        ]
    return [_json_item(n, data) for n, data in enumerate(document, start=1)], []


# --- Excel ---------------------------------------------------------------------


def _rows(
    workbook: Any, sheet: str, issues: list[Issue]
) -> Iterator[tuple[str, dict[str, Any]]]:
    by_name = {fold(name): name for name in workbook.sheetnames}
    actual = by_name.get(fold(sheet))
    if actual is None:
        if sheet == PROCEDURES:
            issues.append(_structure(sheet, f"thiếu trang «{sheet}»."))
        return
    rows = workbook[actual].iter_rows(values_only=True)
    header = [HEADERS[sheet].get(fold(str(c or ""))) for c in next(rows, None) or ()]
    missing = [k for k in REQUIRED[sheet] if k not in header]
    if missing:
        issues.append(_structure(f"{sheet}/dòng 1", f"thiếu cột {', '.join(missing)}."))
        return
    for number, values in enumerate(rows, start=2):
        data = {
            key: value.strip() if isinstance(value, str) else value
            for key, value in zip(header, values, strict=False)
            if key is not None
        }
        if all(v in (None, "") for v in data.values()):
            continue
        yield f"{sheet}/dòng {number}", data


def _excel_procedure(where: str, data: dict[str, Any]) -> Published:
    code = clean_line(data.get("code"))
    item = Published(f"{where} ({code})" if code else where, code, data.get("name"))
    if not clean_line(item.name):
        item.issues.append(
            Issue(where, "Tên TTHC: không có tên thủ tục.", "national.no_name")
        )
    item.decision = clean_line(data.get("decision"))
    item.effective = data.get("effective")
    item.field_name = clean_line(data.get("field_name"))
    item.field_code = clean_line(data.get("field_code"))
    item.levels = [
        part.strip()
        for part in re.split(r"[,;\n]", str(data.get("levels") or ""))
        if part.strip()
    ]
    item.results = lines(data.get("results"))
    item.online_level = data.get("online_level")
    return item


def _excel_channel(item: Published, where: str, data: dict[str, Any]) -> None:
    name = _channel_from_label(data.get("channel"))
    if name is None:
        item.issues.append(
            Issue(
                where,
                f"Hình thức nộp: «{data.get('channel')}» không rõ (Trực tiếp, Trực "
                "tuyến, Dịch vụ bưu chính).",
                "national.channel",
            )
        )
        return
    channel = Channel(name, where)
    time = item.take(
        where, "Thời hạn giải quyết", lambda: time_from_text(data.get("time"))
    )
    if time is not None:
        channel.times.append((time[0], time[1].value))
    amount = item.take(where, "Phí, lệ phí", lambda: fee_from_text(data.get("fee")))
    if amount is not None:
        channel.amounts.append(amount)
        channel.fee_texts.append(clean_line(data.get("fee")) or "Không")
    item.channels.append(channel)


def _excel_document(item: Published, where: str, data: dict[str, Any]) -> None:
    name = clean_line(data.get("name"))
    if data.get("counts") not in (None, ""):
        found = item.take(where, "Số lượng", lambda: counts(data.get("counts")))
    else:
        found = item.take(
            where,
            "Số lượng",
            _copies,
            data.get("originals"),
            data.get("copies"),
        )
    if found is not None:
        item.documents.append((clean_line(data.get("case")), name, *found))


def read_excel(content: bytes) -> tuple[list[Published], list[Issue]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=True
        )
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        return [], [_structure("tệp", f"không đọc được tệp Excel ({exc}).")]
    issues: list[Issue] = []
    items: dict[str, Published] = {}
    try:
        for where, data in _rows(workbook, PROCEDURES, issues):
            item = _excel_procedure(where, data)
            key = str(item.code or "").strip()
            if key in items:
                issues.append(
                    _structure(where, f"thủ tục «{key}» có hai dòng trong «Thủ tục».")
                )
                continue
            items[key] = item
        readers = (
            (CHANNELS, _excel_channel),
            (DOCUMENTS, _excel_document),
            (
                LAWS,
                lambda item, where, data: item.legal_basis.append(
                    law_line(item, where, data)
                ),
            ),
        )
        for sheet, read in readers:
            for where, data in _rows(workbook, sheet, issues):
                owner = items.get(str(data.get("code") or "").strip())
                if owner is None:
                    issues.append(
                        _structure(
                            where,
                            f"không có thủ tục «{data.get('code')}» trong trang "
                            f"«{PROCEDURES}».",
                        )
                    )
                    continue
                read(owner, where, data)
    finally:
        workbook.close()
    return list(items.values()), issues
