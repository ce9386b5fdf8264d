"""The payment methods, registered by name (``methods.py``: 納付書, 消込 import, online gateway)."""

from typing import TYPE_CHECKING

from jichitai.core.registry import Registry

if TYPE_CHECKING:
    from jichitai.payments.methods import PaymentMethod

payment_methods: "Registry[PaymentMethod]" = Registry("payment methods")
