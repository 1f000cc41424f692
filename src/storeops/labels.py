"""Words users read, in English and Chinese, in one place."""

from __future__ import annotations

STATUS = {
    "preparing": {"en": "preparing", "zh": "待提交"},
    "under_review": {"en": "under review", "zh": "审核中"},
    "approved": {"en": "approved", "zh": "已通过"},
    "rejected": {"en": "rejected", "zh": "被拒"},
    "archived": {"en": "archived", "zh": "已归档"},
    "account": {"en": "account", "zh": "账号"},
    "seller_id": {"en": "seller id", "zh": "卖家ID"},
    "login_email": {"en": "login", "zh": "登录邮箱"},
    "store_url": {"en": "store url", "zh": "店铺链接"},
    "outcome": {"en": "outcome", "zh": "结果"},
    "reason": {"en": "reason", "zh": "原因"},
    "count": {"en": "count", "zh": "次数"},
    "example": {"en": "example", "zh": "示例"},
    "last": {"en": "last", "zh": "最近"},
    "person": {"en": "person", "zh": "人员"},
    "open": {"en": "open", "zh": "未完成"},
    "due_soon": {"en": "due ≤{n}d", "zh": "{n}天内到期"},
    "late": {"en": "overdue", "zh": "逾期"},
    "unassigned": {"en": "(unassigned)", "zh": "(未分配)"},
    "rejections_by": {"en": "Rejections by platform and reason", "zh": "按平台和原因统计的驳回"},
    "workload": {"en": "Open tasks per person", "zh": "每人未完成任务"},
    "today": {"en": "today", "zh": "今天"},
    "risk": {"en": "shared", "zh": "共用项"},
    "value": {"en": "value", "zh": "值"},
    "projects": {"en": "projects", "zh": "项目"},
    "plan": {"en": "plan", "zh": "计划"},
    "actual": {"en": "actual", "zh": "实际"},
}

OUTCOME = {
    "opened": {"en": "opened", "zh": "已开店"},
    "abandoned": {"en": "abandoned", "zh": "已放弃"},
    "failed": {"en": "failed", "zh": "失败"},
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
    "account": {"en": "account", "zh": "账号"},
    "seller_id": {"en": "seller id", "zh": "卖家ID"},
    "login_email": {"en": "login", "zh": "登录邮箱"},
    "store_url": {"en": "store url", "zh": "店铺链接"},
    "outcome": {"en": "outcome", "zh": "结果"},
    "reason": {"en": "reason", "zh": "原因"},
    "count": {"en": "count", "zh": "次数"},
    "example": {"en": "example", "zh": "示例"},
    "last": {"en": "last", "zh": "最近"},
    "person": {"en": "person", "zh": "人员"},
    "open": {"en": "open", "zh": "未完成"},
    "due_soon": {"en": "due ≤{n}d", "zh": "{n}天内到期"},
    "late": {"en": "overdue", "zh": "逾期"},
    "unassigned": {"en": "(unassigned)", "zh": "(未分配)"},
    "rejections_by": {"en": "Rejections by platform and reason", "zh": "按平台和原因统计的驳回"},
    "workload": {"en": "Open tasks per person", "zh": "每人未完成任务"},
    "today": {"en": "today", "zh": "今天"},
    "risk": {"en": "shared", "zh": "共用项"},
    "value": {"en": "value", "zh": "值"},
    "projects": {"en": "projects", "zh": "项目"},
    "plan": {"en": "plan", "zh": "计划"},
    "actual": {"en": "actual", "zh": "实际"},
}

OUTCOME = {
    "opened": {"en": "opened", "zh": "已开店"},
    "abandoned": {"en": "abandoned", "zh": "已放弃"},
    "failed": {"en": "failed", "zh": "失败"},
}


def status_label(status: str, lang: str) -> str:
    return STATUS.get(status, {}).get(lang) or status


def state_label(state: str, lang: str) -> str:
    return STATE.get(state, {}).get(lang) or state


def outcome_label(outcome: str, lang: str) -> str:
    return OUTCOME.get(outcome, {}).get(lang) or outcome


def word(key: str, lang: str) -> str:
    return WORDS[key].get(lang) or WORDS[key]["en"]
