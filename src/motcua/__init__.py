"""MotCua — hệ thống một cửa điện tử (electronic one-stop shop)."""

__version__ = "0.1.0"
