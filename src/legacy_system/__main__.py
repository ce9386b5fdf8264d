import argparse
import os

from legacy_system.server import serve

parser = argparse.ArgumentParser(description="旧システム(自動車税 送付先管理)の模擬サーバー")
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--port", type=int, default=8199)
parser.add_argument("--user", default=os.environ.get("LEGACY_SYSTEM_USER", "robot"))
parser.add_argument(
    "--password", default=os.environ.get("LEGACY_SYSTEM_PASSWORD", "legacy-demo-pass")
)
arguments = parser.parse_args()
serve(arguments.host, arguments.port, user=arguments.user, password=arguments.password)
