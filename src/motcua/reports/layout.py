"""The columns of Biểu 06/VPCP/KSTT (Circular 01/2020/TT-VPCP), shared by the page,
the .xlsx and the PDF. Columns 3–13 follow the official form; 14–16 (paused,
withdrawn, stopped) are MotCua's additions, kept after them so the official
numbering is unchanged (docs/figures.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    number: int
    cell: str
    header: str
    group: str  # the merged header above, "" when none


GROUP_RECEIVED = "Số hồ sơ nhận giải quyết"
GROUP_SETTLED = "Số hồ sơ đã giải quyết"
GROUP_IN_PROGRESS = "Số hồ sơ đang giải quyết"
GROUP_OTHER = "Hồ sơ kết thúc khác (bổ sung)"

COLUMNS = (
    Column(3, "received.total", "Tổng số", GROUP_RECEIVED),
    Column(4, "received.carried_over", "Số kỳ trước chuyển qua", GROUP_RECEIVED),
    Column(5, "received.online", "Số mới tiếp nhận trực tuyến", GROUP_RECEIVED),
    Column(
        6,
        "received.direct_postal",
        "Số mới tiếp nhận trực tiếp, qua bưu chính công ích",
        GROUP_RECEIVED,
    ),
    Column(7, "settled.total", "Tổng số", GROUP_SETTLED),
    Column(8, "settled.early", "Trả trước hạn", GROUP_SETTLED),
    Column(9, "settled.on_time", "Trả đúng thời hạn", GROUP_SETTLED),
    Column(10, "settled.late", "Trả quá hạn", GROUP_SETTLED),
    Column(11, "in_progress.total", "Tổng số", GROUP_IN_PROGRESS),
    Column(12, "in_progress.within_time", "Trong hạn", GROUP_IN_PROGRESS),
    Column(13, "in_progress.overdue", "Quá hạn", GROUP_IN_PROGRESS),
    Column(
        14,
        "in_progress.paused",
        "Tạm dừng (chờ bổ sung, chờ nộp phí)",
        GROUP_IN_PROGRESS,
    ),
    Column(15, "withdrawn", "Rút hồ sơ", GROUP_OTHER),
    Column(16, "stopped", "Dừng giải quyết", GROUP_OTHER),
)
TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
FORM = "Biểu số 06/VPCP/KSTT"
LEGAL = "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020"
GROUP_LABEL = {"field": "Lĩnh vực giải quyết", "procedure": "Thủ tục hành chính"}


def groups() -> list[tuple[str, int]]:
    """The merged headers in order, with their widths."""
    out: list[tuple[str, int]] = []
    for column in COLUMNS:
        if out and out[-1][0] == column.group:
            out[-1] = (column.group, out[-1][1] + 1)
        else:
            out.append((column.group, 1))
    return out
