"""click's own usage errors in Chinese ("Missing argument", "No such command", ...).

click formats these itself, outside the message catalogue; they are matched
here by their English wording and rewritten, ids and option names kept.
A wording not listed stays English.
"""

from __future__ import annotations

import re
import sys

_ERRORS = [
    (r"Missing argument '(.+)'\.", "缺少参数 {0}。"),
    (r"Missing option '(.+)'\.", "缺少选项 {0}。"),
    (r"No such option: (\S+)(?: Did you mean (\S+)\?)?", "没有这个选项：{0}{1}"),
    (r"No such option: (\S+) \(Possible options: (.+)\)", "没有这个选项：{0}（可能是：{1}）"),
    (r"No such command '(.+)'\.", "没有这个命令：{0}。"),
    (r"Got unexpected extra arguments? \((.+)\)", "多余的参数：{0}"),
    (r"Option '(.+)' requires an argument\.", "选项 {0} 需要一个值。"),
    (r"Option '(.+)' does not take a value\.", "选项 {0} 不接受值。"),
    (r"Invalid value for '(.+?)': (.+)", "{0} 的值无效：{1}"),
    (r"Missing command\.", "缺少命令。"),
]


def message(text: str) -> str:
    for pattern, chinese in _ERRORS:
        match = re.fullmatch(pattern, text, re.DOTALL)
        if match:
            groups = list(match.groups())
            if chinese.startswith("没有这个选项：{0}{1}"):
                groups[1] = f"（是不是 {groups[1]}？）" if groups[1] else ""
            return chinese.format(*[g or "" for g in groups])
    return text


def show(error) -> None:
    """What click's UsageError.show prints, in Chinese: usage, where to find help, the error."""
    ctx = getattr(error, "ctx", None)
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage().replace("Usage:", "用法：", 1))
        lines.append(f"运行 '{ctx.command_path} -h' 查看帮助。")
        lines.append("")
    lines.append("错误：" + message(error.format_message()))
    sys.stderr.write("\n".join(lines) + "\n")
