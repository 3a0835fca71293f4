from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("ket-qua/<str:provider>/", views.back, name="return"),
    path("<str:token>/", views.pay, name="pay"),
    path("<str:token>/ket-qua/<str:reference>/", views.result, name="result"),
    path("<str:token>/bien-lai.pdf", views.receipt, name="receipt"),
]
