"""OpenAPI links of the dossier API (drf-spectacular post-processing hook).

A dossier is named by its ``code`` in every URL after its creation. The links
say so in the schema: the answer of a creation or of a read gives the ``code``
the detail, every action and the upload take; an action's answer leads back to
the detail; an upload's answer gives the ``id`` its download takes. Clients and
tools that follow links (Swagger UI, schemathesis' stateful tests) chain the
calls as the desk does. Registered in ``SPECTACULAR_SETTINGS``.
"""

from __future__ import annotations

from typing import Any

PREFIX = "/api/v1/dossiers/"
DETAIL = PREFIX + "{code}/"
CODE = {"code": "$response.body#/code"}


def _link(operation_id: str, parameters: dict[str, str], what: str) -> dict[str, Any]:
    return {"operationId": operation_id, "parameters": parameters, "description": what}


def _add(operation: dict[str, Any] | None, status: str, links: dict[str, Any]) -> None:
    response = (operation or {}).get("responses", {}).get(status)
    if response is not None and links:
        response.setdefault("links", {}).update(links)


def dossier_links(
    result: dict[str, Any], generator: Any = None, request: Any = None, **kwargs: Any
) -> dict[str, Any]:
    """Add the links between the dossier operations present in ``result``."""
    paths = result.get("paths", {})
    detail = paths.get(DETAIL, {}).get("get")
    upload = paths.get(DETAIL + "files/", {}).get("post")
    download = paths.get(DETAIL + "files/{file_id}/", {}).get("get")
    actions = {
        path: item["post"]
        for path, item in sorted(paths.items())
        if path.startswith(DETAIL) and path.count("/") == 6 and "post" in item
    }
    by_code: dict[str, Any] = {}
    if detail is not None:
        by_code["detail"] = _link(detail["operationId"], CODE, "Đọc hồ sơ vừa trả lời.")
    for path, operation in actions.items():
        name = path[len(DETAIL) :].strip("/")
        by_code[name] = _link(
            operation["operationId"], CODE, f"Thao tác «{name}» trên hồ sơ này."
        )
    create = paths.get(PREFIX, {}).get("post")
    _add(create, "201", by_code)
    _add(create, "200", by_code)
    _add(detail, "200", {k: v for k, v in by_code.items() if k != "detail"})
    back = {"detail": by_code["detail"]} if "detail" in by_code else {}
    for operation in actions.values():
        _add(operation, "200", back)  # the upload answers 201: no link back
    if upload is not None and download is not None:
        _add(
            upload,
            "201",
            {
                "download": _link(
                    download["operationId"],
                    {"code": "$request.path.code", "file_id": "$response.body#/id"},
                    "Tải về tệp vừa đính kèm.",
                )
            },
        )
    return result
