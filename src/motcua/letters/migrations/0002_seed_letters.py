"""Default letters for birth (1.001193), marriage (1.000894) and death
(1.000656) registration. The wording is MotCua's own; the civil-funeral
guidance is general (no legal citation: «chưa đối chiếu» a text of law)."""

from datetime import date

from django.db import migrations

START = date(2020, 1, 1)

BIRTH = """Kính gửi gia đình ông/bà {nguoi_nop},

{co_quan} vui mừng được biết gia đình vừa đón thêm thành viên mới và đã hoàn tất việc đăng ký khai sinh cho {ten_tre} ngày {ngay}.

Thay mặt lãnh đạo và cán bộ, công chức, chúng tôi xin gửi tới gia đình lời chúc mừng chân thành nhất. Chúc cháu luôn khỏe mạnh, ngoan ngoãn, lớn lên trong tình yêu thương của ông bà, cha mẹ; chúc cả nhà bình an, hạnh phúc.

Khi cần làm tiếp các thủ tục cho cháu (đăng ký thường trú, thẻ bảo hiểm y tế…), gia đình có thể liên hệ Bộ phận Một cửa để được hướng dẫn."""

MARRIAGE = """Kính gửi ông/bà {nguoi_nop},

{co_quan} trân trọng chúc mừng hai bạn đã đăng ký kết hôn ngày {ngay}, chính thức trở thành vợ chồng trước pháp luật.

Chúc hai bạn trăm năm hạnh phúc, luôn thương yêu, tôn trọng và sẻ chia với nhau; cùng xây dựng một gia đình no ấm, bình đẳng, tiến bộ và hạnh phúc, góp phần làm cho quê hương ngày càng tốt đẹp."""

DEATH = """Kính gửi gia đình ông/bà {nguoi_nop},

{co_quan} vô cùng thương tiếc được tin gia đình có người thân qua đời. Chúng tôi xin gửi tới gia đình lời chia buồn sâu sắc và mong gia đình sớm vượt qua nỗi đau mất mát.

Trong những ngày tang lễ, chính quyền địa phương mong gia đình cùng thực hiện nếp sống văn minh trong việc tang: tổ chức tang lễ văn minh, tiết kiệm, phù hợp phong tục tốt đẹp của địa phương; giữ vệ sinh môi trường, an toàn giao thông và trật tự nơi cư trú; hạn chế âm thanh vào ban đêm; không rải vàng mã trên đường; khuyến khích hình thức hỏa táng. (Nội dung hướng dẫn chung, chưa đối chiếu văn bản quy định cụ thể của địa phương.)

Khi cần được hướng dẫn thêm về việc tang hoặc các thủ tục liên quan (như trợ cấp mai táng, nếu gia đình thuộc đối tượng được hưởng), gia đình có thể liên hệ Bộ phận Một cửa."""

LETTERS = (
    ("1.001193", "congratulation", "THƯ CHÚC MỪNG", BIRTH),
    ("1.000894", "congratulation", "THƯ CHÚC MỪNG", MARRIAGE),
    ("1.000656", "condolence", "THƯ CHIA BUỒN", DEATH),
)


def seed(apps, schema_editor):
    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    for code, kind, title, body in LETTERS:
        LetterTemplate.objects.get_or_create(
            procedure_code=code,
            valid_from=START,
            defaults={
                "kind": kind,
                "title": title,
                "body": body,
                "signer_title": "Chủ tịch Ủy ban nhân dân",
            },
        )


def unseed(apps, schema_editor):
    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    for code, _kind, _title, _body in LETTERS:
        LetterTemplate.objects.filter(procedure_code=code, valid_from=START).delete()


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
