"""jichitai: a multi-tenant smart local government platform for a prefecture and its municipalities."""
