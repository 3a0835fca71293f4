from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "motcua.deadlines"
    verbose_name = "Lịch làm việc và thời hạn"
