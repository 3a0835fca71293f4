"""Search aliases of the reference catalogue's common procedures (the words
people use at the desk), the folded name of every version, and the aliases
the catalogue already held per version. Data, not code: administrators edit
them in the admin (Cách gọi thông dụng)."""

from django.db import migrations

from motcua.core.text import fold

COMMON_NAMES = {
    "1.001193": [
        "làm giấy khai sinh",
        "giấy khai sinh",
        "khai sinh cho con",
        "làm khai sinh cho con",
        "đăng ký khai sinh cho con",
        "khai sinh cho bé",
    ],
    "1.000656": ["báo tử", "khai tử", "giấy chứng tử", "làm giấy chứng tử"],
    "1.004873": [
        "xác nhận độc thân",
        "giấy xác nhận độc thân",
        "giấy độc thân",
        "xác nhận tình trạng hôn nhân",
    ],
    "1.000894": ["làm giấy kết hôn", "giấy chứng nhận kết hôn", "đăng ký kết hôn"],
    "1.001022": ["nhận cha con", "nhận mẹ con", "nhận con"],
    "1.004837": ["giám hộ"],
    "1.004859": ["cải chính hộ tịch", "đổi tên", "sửa thông tin khai sinh"],
    "1.004884": ["khai sinh lại", "cấp lại giấy khai sinh", "làm lại giấy khai sinh"],
    "2.000635": [
        "trích lục hộ tịch",
        "bản sao giấy khai sinh",
        "xin bản sao khai sinh",
    ],
    "2.000815": ["sao y", "sao y bản chính", "công chứng giấy tờ", "photo công chứng"],
    "2.000884": ["chứng thực chữ ký", "xác nhận chữ ký"],
    "2.000908": ["bản sao sổ gốc"],
    "2.001019": ["làm di chúc"],
    "2.001035": [
        "sổ đỏ",
        "sổ hồng",
        "chứng thực hợp đồng",
        "hợp đồng mua bán nhà đất",
        "sang tên sổ đỏ",
    ],
    "1.012789": ["sổ đỏ", "trích lục thửa đất", "thông tin thửa đất"],
    "1.013992": [
        "sổ đỏ",
        "lên thổ cư",
        "chuyển đất nông nghiệp sang đất ở",
    ],
    "1.013967": ["tranh chấp đất", "hòa giải đất đai"],
    "1.001699": ["giấy xác nhận khuyết tật", "người khuyết tật"],
    "1.001731": ["mai táng phí", "hỗ trợ mai táng"],
    "1.001776": ["trợ cấp xã hội", "trợ cấp hàng tháng"],
    "1.011607": ["hộ nghèo", "hộ cận nghèo", "sổ hộ nghèo"],
    "1.010803": ["thờ cúng liệt sĩ"],
    "1.010833": ["thân nhân liệt sĩ", "thân nhân người có công"],
}


def _add(SearchAlias, seen, code, phrase):
    folded = fold(phrase)[:255]
    if not folded or (code, folded) in seen:
        return
    seen.add((code, folded))
    SearchAlias.objects.get_or_create(
        procedure_code=code, folded=folded, defaults={"phrase": phrase[:255]}
    )


def seed(apps, schema_editor):
    SearchAlias = apps.get_model("catalog", "SearchAlias")
    ProcedureVersion = apps.get_model("catalog", "ProcedureVersion")
    seen = set()
    for code, phrases in COMMON_NAMES.items():
        for phrase in phrases:
            _add(SearchAlias, seen, code, phrase)
    versions = ProcedureVersion.objects.select_related("procedure").iterator()
    for version in versions:
        ProcedureVersion.objects.filter(pk=version.pk).update(
            search_name=fold(version.name)
        )
        for phrase in version.aliases or []:
            _add(SearchAlias, seen, version.procedure.code, str(phrase))


def unseed(apps, schema_editor):
    SearchAlias = apps.get_model("catalog", "SearchAlias")
    for code, phrases in COMMON_NAMES.items():
        SearchAlias.objects.filter(
            procedure_code=code, folded__in=[fold(p) for p in phrases]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_search_aliases")]

    operations = [migrations.RunPython(seed, unseed)]
