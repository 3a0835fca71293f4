"""The e-forms of two civil-status procedures of the reference catalogue, for
every version of each (administrators edit them, or give a version its own, in
the admin: Tờ khai điện tử). Only what the declaration forms of Circular
04/2020/TT-BTP ask; the applicant's own details (name, identity number, birth
date, contacts, address) are asked once for every procedure, not here."""

from django.db import migrations

NATIONALITY_HELP = "Ví dụ: Việt Nam."
RESIDENCE_HELP = "Nơi thường trú hoặc tạm trú hiện tại."

BIRTH_REGISTRATION = {
    "fills_component": "tờ khai đăng ký khai sinh",
    "sections": [
        {
            "key": "child",
            "title": "Người được khai sinh",
            "fields": [
                {
                    "key": "full_name",
                    "label": "Họ, chữ đệm, tên",
                    "type": "text",
                    "required": True,
                    "help": "Viết đầy đủ, có dấu, như sẽ ghi trong Giấy khai sinh.",
                },
                {
                    "key": "sex",
                    "label": "Giới tính",
                    "type": "choice",
                    "choices": [["nam", "Nam"], ["nu", "Nữ"]],
                    "required": True,
                },
                {
                    "key": "birth_date",
                    "label": "Ngày, tháng, năm sinh",
                    "type": "date",
                    "past": True,
                    "required": True,
                },
                {
                    "key": "birth_place",
                    "label": "Nơi sinh",
                    "type": "address",
                    "required": True,
                    "help": "Tên cơ sở y tế, hoặc địa chỉ nơi sinh nếu sinh ngoài "
                    "cơ sở y tế.",
                },
                {
                    "key": "ethnicity",
                    "label": "Dân tộc",
                    "type": "text",
                    "required": True,
                },
                {
                    "key": "nationality",
                    "label": "Quốc tịch",
                    "type": "text",
                    "required": True,
                    "help": NATIONALITY_HELP,
                },
                {
                    "key": "hometown",
                    "label": "Quê quán",
                    "type": "address",
                    "required": False,
                    "help": "Theo quê quán của cha hoặc của mẹ, theo thỏa thuận "
                    "của cha mẹ.",
                },
            ],
        },
        {
            "key": "mother",
            "title": "Mẹ",
            "fields": [
                {
                    "key": "full_name",
                    "label": "Họ, chữ đệm, tên",
                    "type": "text",
                    "required": True,
                },
                {
                    "key": "birth_date",
                    "label": "Ngày, tháng, năm sinh",
                    "type": "date",
                    "past": True,
                    "required": True,
                },
                {"key": "ethnicity", "label": "Dân tộc", "type": "text"},
                {
                    "key": "nationality",
                    "label": "Quốc tịch",
                    "type": "text",
                    "help": NATIONALITY_HELP,
                },
                {
                    "key": "id_number",
                    "label": "Số định danh cá nhân (hoặc số hộ chiếu)",
                    "type": "id_number",
                    "required": True,
                },
                {
                    "key": "residence",
                    "label": "Nơi cư trú",
                    "type": "address",
                    "required": True,
                    "help": RESIDENCE_HELP,
                },
            ],
        },
        {
            "key": "father",
            "title": "Cha",
            "help": "Để trống phần này nếu chưa xác định được người cha.",
            "fields": [
                {"key": "full_name", "label": "Họ, chữ đệm, tên", "type": "text"},
                {
                    "key": "birth_date",
                    "label": "Ngày, tháng, năm sinh",
                    "type": "date",
                    "past": True,
                    "required_when": {"field": "full_name"},
                },
                {"key": "ethnicity", "label": "Dân tộc", "type": "text"},
                {
                    "key": "nationality",
                    "label": "Quốc tịch",
                    "type": "text",
                    "help": NATIONALITY_HELP,
                },
                {
                    "key": "id_number",
                    "label": "Số định danh cá nhân (hoặc số hộ chiếu)",
                    "type": "id_number",
                    "required_when": {"field": "full_name"},
                },
                {
                    "key": "residence",
                    "label": "Nơi cư trú",
                    "type": "address",
                    "required_when": {"field": "full_name"},
                    "help": RESIDENCE_HELP,
                },
            ],
        },
        {
            "key": "declarant",
            "title": "Người đi đăng ký khai sinh",
            "help": "Họ tên, giấy tờ tùy thân và nơi cư trú của người đi đăng ký "
            "là thông tin người nộp hồ sơ ở trên.",
            "fields": [
                {
                    "key": "relationship",
                    "label": "Quan hệ với người được khai sinh",
                    "type": "text",
                    "required": True,
                    "help": "Ví dụ: mẹ, cha, bà nội.",
                },
            ],
        },
    ],
}

MARITAL_STATUS = {
    "fills_component": "tờ khai cấp giấy xác nhận tình trạng hôn nhân",
    "sections": [
        {
            "key": "person",
            "title": "Người được xác nhận tình trạng hôn nhân",
            "help": "Điền sẵn từ tài khoản của bạn; sửa nếu bạn yêu cầu cho người "
            "khác.",
            "fields": [
                {
                    "key": "full_name",
                    "label": "Họ, chữ đệm, tên",
                    "type": "text",
                    "required": True,
                    "prefill": "full_name",
                },
                {
                    "key": "birth_date",
                    "label": "Ngày, tháng, năm sinh",
                    "type": "date",
                    "past": True,
                    "required": True,
                    "prefill": "birth_date",
                },
                {
                    "key": "sex",
                    "label": "Giới tính",
                    "type": "choice",
                    "choices": [["nam", "Nam"], ["nu", "Nữ"]],
                    "required": True,
                },
                {"key": "ethnicity", "label": "Dân tộc", "type": "text"},
                {
                    "key": "nationality",
                    "label": "Quốc tịch",
                    "type": "text",
                    "required": True,
                    "help": NATIONALITY_HELP,
                },
                {
                    "key": "id_number",
                    "label": "Số định danh cá nhân (hoặc số hộ chiếu)",
                    "type": "id_number",
                    "required": True,
                    "prefill": "identity_number",
                },
                {
                    "key": "residence",
                    "label": "Nơi cư trú",
                    "type": "address",
                    "required": True,
                    "prefill": "address",
                    "help": RESIDENCE_HELP,
                },
                {
                    "key": "relationship",
                    "label": "Quan hệ với người nộp hồ sơ",
                    "type": "text",
                    "help": "Chỉ ghi khi yêu cầu cho người khác, ví dụ: con.",
                },
            ],
        },
        {
            "key": "status",
            "title": "Tình trạng hôn nhân",
            "fields": [
                {
                    "key": "marital_status",
                    "label": "Tình trạng hôn nhân hiện nay",
                    "type": "choice",
                    "required": True,
                    "choices": [
                        ["never_married", "Chưa đăng ký kết hôn với ai"],
                        ["divorced", "Đã đăng ký kết hôn, đã ly hôn"],
                        ["widowed", "Đã đăng ký kết hôn, vợ hoặc chồng đã chết"],
                        ["married", "Đang có vợ hoặc chồng"],
                    ],
                },
                {
                    "key": "period_from",
                    "label": "Xác nhận cho thời gian cư trú trước đây: từ ngày",
                    "type": "date",
                    "past": True,
                    "help": "Chỉ điền khi cần xác nhận tình trạng hôn nhân trong "
                    "thời gian cư trú trước đây ở nơi khác.",
                },
                {
                    "key": "period_to",
                    "label": "đến ngày",
                    "type": "date",
                    "past": True,
                    "required_when": {"field": "period_from"},
                },
            ],
        },
        {
            "key": "purpose",
            "title": "Mục đích sử dụng Giấy xác nhận",
            "fields": [
                {
                    "key": "purpose",
                    "label": "Mục đích",
                    "type": "choice",
                    "required": True,
                    "choices": [["marriage", "Để đăng ký kết hôn"], ["other", "Khác"]],
                },
                {
                    "key": "partner_name",
                    "label": "Họ, chữ đệm, tên người dự định kết hôn",
                    "type": "text",
                    "required_when": {"field": "purpose", "equals": "marriage"},
                },
                {
                    "key": "partner_birth_date",
                    "label": "Ngày, tháng, năm sinh của người dự định kết hôn",
                    "type": "date",
                    "past": True,
                    "required_when": {"field": "purpose", "equals": "marriage"},
                },
                {
                    "key": "partner_nationality",
                    "label": "Quốc tịch của người dự định kết hôn",
                    "type": "text",
                    "required_when": {"field": "purpose", "equals": "marriage"},
                },
                {
                    "key": "partner_id_number",
                    "label": "Số giấy tờ tùy thân của người dự định kết hôn",
                    "type": "id_number",
                    "required_when": {"field": "purpose", "equals": "marriage"},
                },
                {
                    "key": "partner_residence",
                    "label": "Nơi cư trú của người dự định kết hôn",
                    "type": "address",
                    "required_when": {"field": "purpose", "equals": "marriage"},
                },
                {
                    "key": "marriage_place",
                    "label": "Nơi dự định đăng ký kết hôn",
                    "type": "address",
                    "required_when": {"field": "purpose", "equals": "marriage"},
                    "help": "Cơ quan sẽ đăng ký kết hôn, ví dụ: UBND phường "
                    "Thạch Thang.",
                },
                {
                    "key": "other_purpose",
                    "label": "Mục đích khác",
                    "type": "text",
                    "required_when": {"field": "purpose", "equals": "other"},
                    "help": "Ví dụ: bổ sung hồ sơ mua bán nhà đất.",
                },
            ],
        },
    ],
}

SEEDS = [
    (
        "1.001193",
        "Tờ khai đăng ký khai sinh",
        BIRTH_REGISTRATION,
        "Luật Hộ tịch 2014 Điều 16; Thông tư 04/2020/TT-BTP (mẫu tờ khai "
        "đăng ký khai sinh)",
    ),
    (
        "1.004873",
        "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
        MARITAL_STATUS,
        "Nghị định 123/2015/NĐ-CP Điều 21–23; Thông tư 04/2020/TT-BTP (mẫu tờ "
        "khai cấp Giấy xác nhận tình trạng hôn nhân)",
    ),
]


def seed(apps, schema_editor):
    EFormSchema = apps.get_model("online", "EFormSchema")
    for code, title, schema, basis in SEEDS:
        EFormSchema.objects.get_or_create(
            procedure_code=code,
            version=None,
            defaults={"title": title, "schema": schema, "legal_basis": basis},
        )


def unseed(apps, schema_editor):
    EFormSchema = apps.get_model("online", "EFormSchema")
    codes = [code for code, *_ in SEEDS]
    EFormSchema.objects.filter(procedure_code__in=codes, version=None).delete()


class Migration(migrations.Migration):
    dependencies = [("online", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
