"""The national-layout sample in its Excel form, written from the JSON form.

``data/national_sample.json`` is the source (five civil-status procedures written
from public facts: Luật Hộ tịch 2014, Nghị định 123/2015, Thông tư 04/2020);
``data/national_sample.xlsx`` is this module's output, kept in the repository:

    .venv/bin/python -m tests.catalog.national_sample
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import xlsxwriter

from motcua.catalog.national_layouts import fee_line

DATA = Path(__file__).parent / "data"
CHANNELS = {"1": "Trực tiếp", "2": "Trực tuyến", "3": "Dịch vụ bưu chính"}


def _time(entry: dict[str, Any]) -> str:
    unit = entry.get("DONVITINH") or ""
    if not unit:
        return str(entry["MOTA"])
    if unit == "Trong ngày":
        return unit
    return f"{int(entry['THOIGIANGIAIQUYET']):02d} {unit.lower()}"


def _date(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def sheets(items: list[dict[str, Any]]) -> dict[str, list[list[Any]]]:
    procedures = [
        [
            "STT",
            "Mã TTHC",
            "Tên TTHC",
            "QĐ Công bố",
            "Ngày hiệu lực",
            "Lĩnh vực",
            "Mã lĩnh vực",
            "Cấp thực hiện",
            "Đối tượng",
            "Kết quả thực hiện",
            "Mức độ",
            "Tình trạng",
        ]
    ]
    channels = [
        ["Mã TTHC", "Hình thức nộp", "Thời hạn giải quyết", "Phí, lệ phí", "Mô tả"]
    ]
    documents = [
        ["Mã TTHC", "Trường hợp", "Tên giấy tờ", "Mẫu đơn, tờ khai", "Số lượng"]
    ]
    laws = [["Mã TTHC", "Số ký hiệu", "Trích yếu", "Ngày ban hành", "Cơ quan ban hành"]]
    for n, item in enumerate(items, start=1):
        code = item["MATTHC"]
        field = item["LINHVUCTHUCHIEN"][0]
        procedures.append(
            [
                n,
                code,
                item["TENTTHC"],
                item["SOQUYETDINH"],
                _date(item["NGAYHIEULUC"]),
                field["TENLINHVUC"],
                field["MALINHVUC"],
                ", ".join(level["CAPTHUCHIEN"] for level in item["CAPTHUCHIEN"]),
                "Công dân Việt Nam",
                "\n".join(r["TENKETQUA"] for r in item["KETQUATHUCHIEN"]),
                item["MUCDO"],
                "Công khai",
            ]
        )
        for way in item["CACHTHUCTHUCHIEN"]:
            for entry in way["THOIGIAN"]:
                fee = entry["PHILEPHI"][0]
                channels.append(
                    [
                        code,
                        CHANNELS[way["KENH"]],
                        _time(entry),
                        fee_line(fee["MOTA"], fee["SOTIEN"] or 0),
                        entry["MOTA"],
                    ]
                )
        for case in item["THANHPHANHOSO"]:
            for doc in case["GIAYTO"]:
                documents.append(
                    [
                        code,
                        case["TRUONGHOP"],
                        doc["TENGIAYTO"],
                        doc.get("TENMAUDON", ""),
                        f"Bản chính: {doc['SOBANCHINH']} - Bản sao: {doc['SOBANSAO']}",
                    ]
                )
        for law in item["CANCUPHAPLY"]:
            laws.append(
                [
                    code,
                    law["SOVANBAN"],
                    law["TENVANBAN"],
                    law["NGAYBANHANH"],
                    law["COQUANBANHANH"],
                ]
            )
    return {
        "Thủ tục": procedures,
        "Cách thức thực hiện": channels,
        "Thành phần hồ sơ": documents,
        "Căn cứ pháp lý": laws,
    }


def write(items: list[dict[str, Any]], path: Path) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    for name, rows in sheets(items).items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write(r, c, value)
    workbook.close()
    return path


def main() -> None:
    items = json.loads((DATA / "national_sample.json").read_text("utf-8"))["result"]
    write(items, DATA / "national_sample.xlsx")


if __name__ == "__main__":
    main()
