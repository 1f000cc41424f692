"""Words users read, in English and Chinese, in one place."""

from __future__ import annotations

STATUS = {
    "preparing": {"en": "preparing", "zh": "待提交"},
    "under_review": {"en": "under review", "zh": "审核中"},
    "approved": {"en": "approved", "zh": "已通过"},
    "rejected": {"en": "rejected", "zh": "被拒"},
    "archived": {"en": "archived", "zh": "已归档"},
    "secret": {"en": "secret", "zh": "密钥项"},
    "hint": {"en": "hint", "zh": "提示"},
    "readers": {"en": "readers", "zh": "可查看人"},
    "you_can_read": {"en": "you", "zh": "本人可读"},
}

STATE = {
    "todo": {"en": "todo", "zh": "待办"},
    "in_progress": {"en": "in progress", "zh": "进行中"},
    "submitted": {"en": "submitted", "zh": "已提交"},
    "done": {"en": "done", "zh": "已完成"},
    "rejected": {"en": "rejected", "zh": "被驳回"},
    "blocked": {"en": "blocked", "zh": "受阻"},
    "skipped": {"en": "skipped", "zh": "已跳过"},
}

WORDS = {
    "project": {"en": "project", "zh": "项目"},
    "platform": {"en": "platform", "zh": "平台"},
    "owner": {"en": "owner", "zh": "负责人"},
    "status": {"en": "status", "zh": "状态"},
    "progress": {"en": "done", "zh": "完成"},
    "next": {"en": "next task", "zh": "下一步"},
    "due": {"en": "due", "zh": "截止"},
    "task": {"en": "task", "zh": "任务"},
    "state": {"en": "state", "zh": "状态"},
    "assignee": {"en": "assignee", "zh": "执行人"},
    "depends": {"en": "after", "zh": "依赖"},
    "documents": {"en": "documents", "zh": "资料"},
    "overdue": {"en": "OVERDUE", "zh": "已逾期"},
    "gate": {"en": "approval", "zh": "审核"},
    "store": {"en": "store", "zh": "店铺"},
    "entity": {"en": "entity", "zh": "主体"},
    "category": {"en": "category", "zh": "类目"},
    "sop": {"en": "SOP", "zh": "SOP"},
    "start": {"en": "start", "zh": "开始"},
    "target": {"en": "target", "zh": "目标日期"},
    "payout": {"en": "payout", "zh": "收款"},
    "payout_bound": {"en": "payout bound", "zh": "已绑定收款"},
    "payout_unbound": {"en": "payout not bound", "zh": "未绑定收款"},
    "guide": {"en": "how-to", "zh": "操作指引"},
    "appointment": {"en": "appointment", "zh": "预约"},
    "approvals": {"en": "approvals", "zh": "审批"},
    "notes": {"en": "notes", "zh": "备注"},
    "expires": {"en": "expires", "zh": "到期"},
    "expired": {"en": "EXPIRED", "zh": "已过期"},
    "missing": {"en": "missing", "zh": "未上传"},
    "rejections": {"en": "rejections", "zh": "驳回记录"},
    "archived": {"en": "archived", "zh": "已归档"},
    "secret": {"en": "secret", "zh": "密钥项"},
    "hint": {"en": "hint", "zh": "提示"},
    "readers": {"en": "readers", "zh": "可查看人"},
    "you_can_read": {"en": "you", "zh": "本人可读"},
}


def status_label(status: str, lang: str) -> str:
    return STATUS.get(status, {}).get(lang) or status


def state_label(state: str, lang: str) -> str:
    return STATE.get(state, {}).get(lang) or state


def word(key: str, lang: str) -> str:
    return WORDS[key].get(lang) or WORDS[key]["en"]
