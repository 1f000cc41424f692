"""Words users read, in English and Chinese, in one place."""

from __future__ import annotations

STATUS = {
    "preparing": {"en": "preparing", "zh": "待提交"},
    "under_review": {"en": "under review", "zh": "审核中"},
    "approved": {"en": "approved", "zh": "已通过"},
    "rejected": {"en": "rejected", "zh": "被拒"},
    "archived": {"en": "archived", "zh": "已归档"},
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
    "compliance": {"en": "compliance", "zh": "合规"},
    "conflict": {"en": "conflict", "zh": "冲突"},
    "rejection_reasons": {"en": "rejection reasons", "zh": "驳回原因"},
    "source": {"en": "source", "zh": "文件"},
    "waiting_for": {"en": "waiting for", "zh": "等待"},
    "external": {"en": "external", "zh": "外部"},
    "gate_approved": {"en": "approved", "zh": "已审批"},
    "gate_waiting": {"en": "not yet approved", "zh": "尚未审批"},
    "added": {"en": "added", "zh": "新增"},
    "modified": {"en": "modified", "zh": "修改"},
    "deleted": {"en": "deleted", "zh": "删除"},
    "renamed": {"en": "renamed", "zh": "重命名"},
    "doctor_ok": {"en": "ok", "zh": "正常"},
    "doctor_fixed": {"en": "fixed", "zh": "已修复"},
    "doctor_warning": {"en": "warning", "zh": "警告"},
    "doctor_problem": {"en": "problem", "zh": "问题"},
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
    "issued": {"en": "issued", "zh": "开具"},
    "expired": {"en": "EXPIRED", "zh": "已过期"},
    "missing": {"en": "missing", "zh": "未上传"},
    "rejections": {"en": "rejections", "zh": "驳回记录"},
    # person list, sop list, sop show
    "name": {"en": "name", "zh": "姓名"},
    "email": {"en": "email", "zh": "邮箱"},
    "roles": {"en": "roles", "zh": "角色"},
    "key": {"en": "key", "zh": "公钥"},
    "id": {"en": "id", "zh": "id"},
    "version": {"en": "version", "zh": "版本"},
    "sites": {"en": "sites", "zh": "站点"},
    "reviewed": {"en": "reviewed", "zh": "审校日期"},
    "tasks": {"en": "tasks", "zh": "任务数"},
    "origin": {"en": "origin", "zh": "来源"},
    "title": {"en": "title", "zh": "标题"},
    "role": {"en": "role", "zh": "角色"},
    "takes": {"en": "takes", "zh": "工期"},
    "flags": {"en": "flags", "zh": "标记"},
    "archived": {"en": "archived", "zh": "已归档"},
    "when": {"en": "when", "zh": "时间"},
    "who": {"en": "who", "zh": "操作人"},
    "change": {"en": "change", "zh": "变更"},
    "hand_edit": {"en": "hand edit", "zh": "手工修改"},
    "merge": {"en": "merge", "zh": "合并"},
    "secret": {"en": "secret", "zh": "密钥项"},
    "hint": {"en": "hint", "zh": "提示"},
    "readers": {"en": "readers", "zh": "可查看人"},
    "you_can_read": {"en": "you", "zh": "本人可读"},
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
    "cycle_time": {"en": "Cycle time in days (median, p90)", "zh": "周期天数（中位数、P90）"},
    "step": {"en": "step", "zh": "步骤"},
    "samples": {"en": "n", "zh": "次数"},
    "median": {"en": "median", "zh": "中位数"},
    "p90": {"en": "p90", "zh": "P90"},
    "review_wait": {"en": "review wait", "zh": "平台审核等待"},
    "to_approval": {"en": "created → approved", "zh": "创建 → 通过"},
    "to_archive": {"en": "created → archived", "zh": "创建 → 归档"},
    "waiting": {"en": "waiting", "zh": "等待中"},
    "all_platforms": {"en": "(all)", "zh": "（全部）"},
    "days": {"en": "days", "zh": "天数"},
    "kind": {"en": "kind", "zh": "类型"},
    "message": {"en": "message", "zh": "内容"},
    # storeops site
    "site_board": {"en": "Board", "zh": "看板"},
    "site_due": {"en": "Due in the next {n} days", "zh": "未来 {n} 天到期"},
    "site_due_nav": {"en": "Due", "zh": "到期"},
    "site_reports": {"en": "Reports", "zh": "报表"},
    "site_all": {"en": "all", "zh": "全部"},
    "site_filter": {"en": "Filter", "zh": "筛选"},
    "site_built": {"en": "Built {date} from the stores repo; read-only.", "zh": "{date} 由 stores 仓库生成；只读。"},
    "site_nothing_due": {"en": "Nothing due.", "zh": "没有到期事项。"},
    "site_history": {"en": "Recent changes", "zh": "最近变更"},
    "site_timeline": {"en": "Timeline", "zh": "时间线"},
    "site_none": {"en": "none", "zh": "无"},
    "site_sensitive": {"en": "sensitive: encrypted in the repo, never shown here",
                       "zh": "敏感资料：仓库中已加密，此处不显示"},
    "site_issued": {"en": "issued", "zh": "签发"},
    "site_type": {"en": "type to filter", "zh": "输入以筛选"},
    "site_projects_count": {"en": "{n} projects", "zh": "{n} 个项目"},
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


# ---- storeops remind ----

REMIND_KIND = {
    "overdue": {"en": "overdue", "zh": "已逾期"},
    "due_soon": {"en": "due soon", "zh": "即将截止"},
    "appointment": {"en": "appointment", "zh": "预约"},
    "document_expired": {"en": "document expired", "zh": "资料已过期"},
    "document_expiring": {"en": "document expiring", "zh": "资料将过期"},
    "external_stale": {"en": "follow up", "zh": "待跟进"},
    "project_past_target": {"en": "past target", "zh": "超过目标日期"},
    "project_inactive": {"en": "inactive", "zh": "无进展"},
    "sop_stale": {"en": "SOP review", "zh": "SOP 待复核"},
}

# `{subject}` is "project/task (title)"; the other fields are filled in by storeops.remind.
REMIND_MESSAGE = {
    "overdue": {"en": "{subject}: overdue by {span} (due {date}){extra}",
                "zh": "{subject}：已逾期 {span}（截止 {date}）{extra}"},
    "due_soon": {"en": "{subject}: due {when} ({date}){extra}",
                 "zh": "{subject}：{when}截止（{date}）{extra}"},
    "appointment": {"en": "{subject}: appointment {when}, {date} {time} {tz}",
                    "zh": "{subject}：预约在{when}，{date} {time}（{tz}）"},
    "document_expired": {"en": "{subject}: document {document} expired {ago} ({date}); get a fresh one before submitting",
                         "zh": "{subject}：资料 {document} 已于 {date} 过期（{ago}），提交前请重新开具"},
    "document_expiring": {"en": "{subject}: document {document} expires {when} ({date}){extra}",
                          "zh": "{subject}：资料 {document} 将于 {date} 过期（{when}）{extra}"},
    "external_stale": {"en": "{subject}: no change for {span} (check every {every}); look in the seller centre "
                             "and record what the platform says",
                       "zh": "{subject}：已 {span} 无更新（应每 {every} 查看一次），请登录卖家后台查看并记录进展"},
    "project_past_target": {"en": "{project}: past its target date {date} by {span}, {open} task(s) still open",
                            "zh": "{project}：已超过目标日期 {date}（{span}），仍有 {open} 个任务未完成"},
    "project_inactive": {"en": "{project}: no change for {span} (last on {date})",
                         "zh": "{project}：已 {span} 无变更（最后一次 {date}）"},
    "sop_stale": {"en": "SOP {sop}: last reviewed {date}, {span} ago (team policy: {limit} days); "
                        "check it against the platform's current rules{extra}",
                  "zh": "SOP {sop}：上次复核于 {date}（{span}前，团队规定 {limit} 天），请按平台最新规则核对{extra}"},
}

REMIND_EXTRA = {
    "awaiting_approval": {"en": "; waiting for approval by {role}", "zh": "，等待 {role} 审批"},
    "blocks": {"en": "; holds up {tasks}", "zh": "，阻塞 {tasks}"},
    "not_booked": {"en": "; not booked yet", "zh": "，尚未预约"},
    "before_due": {"en": ", before the step is due ({due})", "zh": "，早于该步骤截止日 {due}"},
    "builtin_sop": {"en": " (built-in: copy it to sop/{sop}.yaml to keep your own)",
                    "zh": "（内置模板：可复制到 sop/{sop}.yaml 自行维护）"},
}

REMIND_TEXT = {
    "header": {"en": "Reminders for {team} on {date} ({tz}): {count}",
               "zh": "{team} 提醒 {date}（{tz}）：共 {count} 项"},
    "nobody": {"en": "(nobody)", "zh": "（无人）"},
    "sops": {"en": "SOP templates", "zh": "SOP 模板"},
    "more": {"en": "… and {count} more: run `storeops remind` for the full list",
             "zh": "……还有 {count} 项：运行 `storeops remind` 查看全部"},
    "subject": {"en": "[storeops] {count} reminder(s) for {name}, {date}",
                "zh": "[storeops] {name} 的 {count} 项提醒，{date}"},
    "unreadable_one": {"en": "1 project file cannot be read: {files} (skipped; run `storeops check`)",
                       "zh": "1 个项目文件无法读取：{files}（已跳过；运行 `storeops check`）"},
    "unreadable": {"en": "{count} project files cannot be read: {files} (skipped; run `storeops check`)",
                   "zh": "{count} 个项目文件无法读取：{files}（已跳过；运行 `storeops check`）"},
}


def days_span(days: int, lang: str) -> str:
    """A count of days: "1 day", "3 days", "3 天"."""
    if lang == "zh":
        return f"{days} 天"
    return f"{days} day" if days == 1 else f"{days} days"


def when(days: int, lang: str) -> str:
    """A day relative to today, for the future: "today", "tomorrow", "in 3 days"."""
    if lang == "zh":
        return {0: "今天", 1: "明天"}.get(days, f"{days} 天后")
    return {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")


def ago(days: int, lang: str) -> str:
    if lang == "zh":
        return {0: "今天", 1: "昨天"}.get(days, f"{days} 天前")
    return {0: "today", 1: "yesterday"}.get(days, f"{days} days ago")


def remind_kind(kind: str, lang: str) -> str:
    return REMIND_KIND[kind].get(lang) or REMIND_KIND[kind]["en"]


def remind_text(table: dict, key: str, lang: str, **values) -> str:
    entry = table[key]
    return (entry.get(lang) or entry["en"]).format(**values)
