"""The Chinese catalogue of messages.py: English template → Chinese template.

Keys are the English texts exactly as the code prints them, with `{name}` where a
value goes (messages.py says what each name may match); a test keeps every key
matching a string the code still has.
"""

from __future__ import annotations

ZH: dict[str, str] = {
    # ---- what changed, as `storeops log` shows it (changes.py) ----
    "project created from {sop} ({what})": "由 {sop} 创建项目（{what}）",
    "{task}: {state} → {state2}": "{task}：{state} → {state2}",
    "assignee of {task} {what} → {what2}": "{task} 的执行人 {what} → {what2}",
    "due of {task} {what} → {what2}": "{task} 的截止日期 {what} → {what2}",
    "appointment for {task} booked {what}": "{task} 已预约 {what}",
    "appointment for {task} cancelled (was {what})": "{task} 的预约已取消（原为 {what}）",
    "appointment for {task} moved {what} → {what2}": "{task} 的预约改期 {what} → {what2}",
    "approved {task} ({role})": "审批通过 {task}（{role}）",
    "approvals of {task} cleared": "{task} 的审批已清除",
    "note on {task}: {what}": "{task} 的备注：{what}",
    "document {doc} added": "资料 {doc} 已添加",
    "issue date of {doc} {what} → {what2}": "{doc} 的签发日期 {what} → {what2}",
    "readers of {doc} {what} → {what2}": "{doc} 的可查看人 {what} → {what2}",
    "document {doc} removed": "资料 {doc} 已移除",
    "document {doc} replaced": "资料 {doc} 已替换",
    "task {task} added ({state})": "新增任务 {task}（{state}）",
    "archived ({outcome})": "已归档（{outcome}）",
    "account.{id} {what} → {what2}": "账号 {id} {what} → {what2}",
    "payout bound": "已绑定收款",
    "payout unbound": "已解绑收款",
    "archived ({outcome}): {what}": "已归档（{outcome}）：{what}",
    # ---- finding the stores repo, locking it, git ----
    "{path}: not a stores repo (no storeops.yaml here or in any parent folder)":
        "{path}：不是 stores 仓库（这里和上级文件夹都没有 storeops.yaml）",
    "run `storeops init` to make one, or pass -C PATH": "运行 `storeops init` 新建一个，或用 -C PATH 指定",
    "{path}: no such directory": "{path}：文件夹不存在",
    "{path}: the stores repo is not a git repository": "{path}：这个 stores 仓库不是 git 仓库",
    "run `git init` there (or `git clone` the team's stores repo)":
        "在那里运行 `git init`（或 `git clone` 团队的 stores 仓库）",
    "the stores repo is busy ({holder} holds {path})": "stores 仓库正被占用（{holder} 持有 {path}）",
    "wait for it to finish and retry": "等它结束后重试",
    "cannot lock the stores repo: {path}": "无法锁定 stores 仓库：{path}",
    "is the file system read-only, or the repo not yours? nothing was changed":
        "文件系统是否只读，或仓库不属于你？没有做任何修改",
    "git does not know who you are": "git 不知道你是谁",
    'run: git config --global user.name "Your Name" && git config --global user.email you@example.com':
        '运行：git config --global user.name "你的名字" && git config --global user.email you@example.com',
    "git is not installed or not on PATH": "没有安装 git，或 git 不在 PATH 中",
    "install git, e.g. apt-get install git": "请安装 git，例如 apt-get install git",
    "a git merge is in progress here, and git allows no commit of single files during a merge":
        "这里有一个进行中的 git 合并，合并期间 git 不允许只提交单个文件",
    "finish the merge (git commit) or abort it (git merge --abort), then retry; storeops changed nothing":
        "先完成合并（git commit）或放弃合并（git merge --abort）再重试；storeops 没有做任何修改",
    "git's lock file {path} is in the way: a git command is running in this repo, or one was killed and left it "
    "behind": "git 的锁文件 {path} 挡住了：这个仓库里有 git 命令正在运行，或者有一个被中断后留下了它",
    "if no git command is running here, delete it and retry: rm {paths} (storeops changed nothing)":
        "如果这里没有 git 命令在运行，删除它后重试：rm {paths}（storeops 没有做任何修改）",
    "git {op} failed: {reason}": "git {op} 失败：{reason}",
    # ---- the write journal (journal.py) ----
    "git is in the middle of {what} here: storeops writes nothing until it is over":
        "git 正在进行{what}：结束之前 storeops 不写入任何内容",
    "finish it ({finish}) or abort it ({abort}), then retry; storeops changed nothing":
        "先完成（{finish}）或放弃（{abort}）再重试；storeops 没有做任何修改",
    "end it ({finish}), then retry; storeops changed nothing": "先结束它（{finish}）再重试；storeops 没有做任何修改",
    "{paths} has changes that are not committed, and storeops commits only its own changes":
        "{paths} 有未提交的修改，而 storeops 只提交它自己做的修改",
    "see them with `git diff -- {paths}`; commit them (git commit) or drop them (git checkout -- {paths2}), then "
    "retry; storeops changed nothing":
        "用 `git diff -- {paths}` 查看；提交（git commit）或丢弃（git checkout -- {paths2}）后重试；storeops 没有做任何修改",
    "another storeops command (pid {n}) is writing to this repo": "另一个 storeops 命令（pid {n}）正在写入这个仓库",
    "an interrupted storeops change was completed: {paths} now match the last commit":
        "一次被中断的 storeops 修改已完成：{paths} 现在与最新提交一致",
    "an interrupted storeops change was undone: {paths} put back as committed":
        "一次被中断的 storeops 修改已撤销：{paths} 已恢复为已提交的内容",
    "an interrupted storeops change was left as it is (HEAD moved since): check {paths} with git status":
        "一次被中断的 storeops 修改保持原样（HEAD 之后已移动）：请用 git status 检查 {paths}",
    "the change was committed ({id}); the index and files now match it": "修改已提交（{id}）；索引和文件现已与之一致",
    "the change was committed ({id}); the next storeops command brings the index up to it":
        "修改已提交（{id}）；下一个 storeops 命令会让索引与之一致",
    "the files were put back: nothing was changed": "文件已恢复：没有做任何修改",
    "this stores repo has no remote to sync with": "这个 stores 仓库没有可同步的远程仓库",
    "git remote add origin URL (the team's shared repository)": "git remote add origin URL（团队共享的仓库）",
    "uncommitted changes in {list}; nothing was synced": "{list} 有未提交的修改；没有同步任何内容",
    "commit them (or git stash), then run storeops sync again": "先提交（或 git stash），再运行 storeops sync",
    "{path} is already a stores repo (storeops.yaml exists)": "{path} 已经是 stores 仓库（storeops.yaml 已存在）",
    "{path} is already a git repository": "{path} 已经是 git 仓库",
    "the example needs a new folder": "示例需要一个新的文件夹",
    "nothing to do; `storeops check` verifies it": "无需操作；可用 `storeops check` 检查它",
    "nothing to do; use `storeops check` to verify it": "无需操作；可用 `storeops check` 检查它",
    "--language '{value}' is not one of {list}": "--language '{value}' 不是 {list} 之一",
    "--timezone: {detail}": "--timezone：{detail}",
    # ---- ids, people, dates ----
    "unknown project '{project}'": "没有项目 '{project}'",
    "did you mean {alts}?": "你要找的是 {alts} 吗？",
    "unknown person '{person}'": "团队里没有 '{person}'",
    "add them with `storeops person add`": "用 `storeops person add` 添加",
    "{project} has no task '{task}'": "{project} 没有任务 '{task}'",
    "tasks: {list}": "任务：{list}",
    "unknown SOP '{sop}'": "没有 SOP '{sop}'",
    "see `storeops sop list`": "见 `storeops sop list`",
    "'{value}' is not a valid {what}": "'{value}' 不是有效的 {what}",
    "use lowercase letters, digits and '-', starting with a letter or digit":
        "只能用小写字母、数字和 '-'，并以字母或数字开头",
    "{option}: '{value}' is not a date": "{option}：'{value}' 不是日期",
    "{option}: '{value}' is not a date ({what})": "{option}：'{value}' 不是日期（{what}）",
    "write one of {list}": "可以写：{list}",
    "{option}: '{value}' is ambiguous": "{option}：'{value}' 有歧义",
    "{date} (month/day) or {date2} (day/month); write YYYY-MM-DD":
        "{date}（月/日）还是 {date2}（日/月）？请写成 YYYY-MM-DD",
    "did you mean {date}? write YYYY-MM-DD": "是指 {date} 吗？请写成 YYYY-MM-DD",
    "{option}: '{value}' is not a date and time": "{option}：'{value}' 不是日期时间",
    "write 2026-12-10 10:00 (team timezone), 2026-12-10T10:00+08:00, or a day like fri followed by HH:MM":
        "写成 2026-12-10 10:00（团队时区）、2026-12-10T10:00+08:00，或 fri 这样的日子加 HH:MM",
    "{option} {date} is in the future": "{option} {date} 在未来",
    "today is {date}": "今天是 {date}",
    "{doc} issued {date} expired on {date2} (valid {n} days): get a fresh one before submitting":
        "{doc} 签发于 {date}，已于 {date2} 过期（有效 {n} 天）：提交前请换一份新的",
    "{value} is not a calendar date": "{value} 不是有效的日期",
    # ---- files skipped by the readers (loading.py) ----
    "(skipped; run storeops check)": "（已跳过；运行 storeops check）",
    "cannot read ({what})": "无法读取（{what}）",
    "--status '{value}' is not a status": "--status '{value}' 不是项目状态",
    "--role '{value}' is not a role": "--role '{value}' 不是角色",
    "roles: {list}": "角色：{list}",
    "--email '{value}' is not an email address": "--email '{value}' 不是邮箱地址",
    "--format '{value}' is not a format": "--format '{value}' 不是支持的格式",
    "one of {list}": "可选：{list}",
    "--format xlsx needs -o FILE": "--format xlsx 需要用 -o 指定文件",
    "for example: -o {file}": "例如：-o {file}",
    "-o {path}: cannot write ({what})": "-o {path}：无法写入（{what}）",
    "built {n} pages for {n2} projects in {path}": "已生成 {n} 个页面（{n2} 个项目），位于 {path}",
    "{path} is a file, not a folder": "{path} 是文件，不是文件夹",
    "pass -o DIR": "请用 -o DIR 指定文件夹",
    "{path} is not empty and was not built by storeops site": "{path} 不是空文件夹，也不是 storeops site 生成的",
    "choose an empty or new folder with -o DIR; nothing was written": "请用 -o DIR 指定空的或新的文件夹；未写入任何内容",
    "{path}: cannot write ({what})": "{path}：无法写入（{what}）",
    "--lang '{value}' is not a language": "--lang '{value}' 不是支持的语言",
    "one of en, zh": "可选：en、zh",
    "--pages is for github only": "--pages 只适用于 github",
    "on GitLab, publish the output of `storeops site` from a job of your own (see docs/admin.md)":
        "在 GitLab 上，请用自己的作业发布 `storeops site` 的输出（参见 docs/admin.md）",
    "serving the site at http://127.0.0.1:{n}/ (Ctrl-C stops)": "网站预览：http://127.0.0.1:{n}/（按 Ctrl-C 停止）",
    "rebuilt": "已重新生成",
    "not rebuilt: {what}": "未重新生成：{what}",
    "--port {n}: not a port": "--port {n}：不是有效端口",
    "0 to 65535": "0 到 65535",
    "--port {n}: cannot listen on 127.0.0.1 ({what})": "--port {n}：无法在 127.0.0.1 上监听（{what}）",
    "another program uses it: pick another --port": "端口已被其他程序占用：请换一个 --port",
    # ---- storeops import ----
    "{path}: not a .xlsx or .csv file": "{path}：不是 .xlsx 或 .csv 文件",
    "save the tracker as .xlsx or .csv": "请把表格另存为 .xlsx 或 .csv",
    "not UTF-8 text": "不是 UTF-8 文本",
    "save it as CSV UTF-8, or as .xlsx": "请另存为 CSV UTF-8 或 .xlsx",
    "the sheet is empty": "工作表是空的",
    "the first row names the columns": "第一行应是列名",
    "cannot read the workbook ({what})": "无法读取工作簿（{what}）",
    "open it in Excel and save it again as .xlsx": "请用 Excel 打开后重新另存为 .xlsx",
    "{path}: no sheet '{value}'": "{path}：没有工作表 '{value}'",
    "sheets: {list}": "工作表：{list}",
    "not valid YAML": "不是有效的 YAML",
    "expected a mapping with columns: (and optionally tasks:, sheet:)": "应为包含 columns:（可选 tasks:、sheet:）的映射",
    "unknown key '{value}'": "未知的键 '{value}'",
    "keys: columns, tasks, sheet": "可用的键：columns、tasks、sheet",
    "columns: '{value}' is not a project field": "columns：'{value}' 不是项目字段",
    "columns: expected a mapping": "columns：应为映射",
    "fields: {list}": "字段：{list}",
    "tasks: expected task id: {state: column, assignee: column, due: column}":
        "tasks：应为 任务 id: {state: 列, assignee: 列, due: 列}",
    "tasks.{task}: expected state, assignee and/or due": "tasks.{task}：应为 state、assignee 和/或 due",
    "each names a column of the sheet": "每项写表格中的列名",
    "{path}: no column '{value}' (for {what})": "{path}：没有列 '{value}'（用于 {what}）",
    "columns: {list}": "列：{list}",
    "{path}: no {what} column": "{path}：没有 {what} 列",
    "head a column `{what}`, or name it in a mapping file (--map; see --template)":
        "请添加列名为 `{what}` 的列，或在映射文件中指定（--map；参见 --template）",
    "task '{task}' is not in {sop}": "任务 '{task}' 不在 {sop} 中",
    "see `storeops sop show`": "参见 `storeops sop show`",
    "store is empty": "店铺为空",
    "owner is empty": "负责人为空",
    "{what} '{value}' is not on the team — did you mean {alts}?": "{what} '{value}' 不在团队中——是不是 {alts}？",
    "{what} '{value}' is not on the team": "{what} '{value}' 不在团队中",
    "site '{value}' is not a site of {sop} (sites: {list})": "站点 '{value}' 不是 {sop} 的站点（站点：{list}）",
    "target {date} is before the start {date2}": "目标日期 {date} 早于开始日期 {date2}",
    "category '{value}' is not an id (like home-kitchen)": "类目 '{value}' 不是 id（如 home-kitchen）",
    "category '{value}' is not a category of the team — did you mean {alts}?": "类目 '{value}' 不是团队的类目——是不是 {alts}？",
    "category '{value}' is not a category of the team (add it under categories: in storeops.yaml)":
        "类目 '{value}' 不是团队的类目（把它加到 storeops.yaml 的 categories: 下）",
    "id '{value}' is not a project id (lowercase letters, digits and -)": "id '{value}' 不是项目 id（小写字母、数字和 -）",
    "{what} '{value}' is not a date": "{what} '{value}' 不是日期",
    "{what} '{value}' is outside the years {n}–{n2}": "{what} '{value}' 不在 {n}–{n2} 年之间",
    "{what} '{value}' is not a state — did you mean {alts}?": "{what} '{value}' 不是任务状态——是不是 {alts}？",
    "{what} '{value}' is not a state": "{what} '{value}' 不是任务状态",
    "project {project} is also row {n}": "项目 {project} 与第 {n} 行重复",
    "entity '{value}' already has a store on {what}: {project} (one seller account per entity per marketplace)":
        "主体 '{value}' 在 {what} 已有店铺：{project}（每个主体在每个站点只能有一个卖家账号）",
    "nothing was imported: {n} problem(s) in {n2} of {n3} row(s)": "未导入任何内容：{n3} 行中有 {n2} 行共 {n} 个问题",
    "fix them and run again, or pass --skip-invalid to import the valid rows":
        "改正后重新运行，或加 --skip-invalid 只导入有效的行",
    "{project} exists already: left as it is (--update changes it)": "{project} 已存在：保持不变（--update 可更新）",
    "{project} exists already: left as it is": "{project} 已存在：保持不变",
    "would create {project}: {what}": "将创建 {project}：{what}",
    "would update {project}": "将更新 {project}",
    "created {project}: {what}": "已创建 {project}：{what}",
    "updated {project}": "已更新 {project}",
    "dry run: {n} to create, {n2} to update, {n3} unchanged, {n4} invalid row(s); nothing was written":
        "试运行：将创建 {n} 个、更新 {n2} 个，{n3} 个不变，{n4} 行无效；未写入任何内容",
    "nothing to import: every row's project exists already": "没有可导入的内容：每一行的项目都已存在",
    "imported {n} new and {n2} updated project(s) in commit {id}": "已导入 {n} 个新项目、更新 {n2} 个，提交 {id}",
    "imported {n} new and {n2} updated project(s) in commit {id}; {n3} invalid row(s) skipped":
        "已导入 {n} 个新项目、更新 {n2} 个，提交 {id}；跳过 {n3} 行无效数据",
    "wrote a sample sheet to {path}; its mapping: storeops import --template":
        "示例表格已写入 {path}；对应的映射：storeops import --template",
    "missing FILE": "缺少 FILE",
    "storeops import tracker.xlsx --sop SOP (or --template for a start)":
        "storeops import tracker.xlsx --sop SOP（或用 --template 开始）",
    "missing --sop": "缺少 --sop",
    "the SOP every imported project follows (storeops sop list)": "导入的每个项目所用的 SOP（storeops sop list）",
    "{path}: not a .xlsx or .csv name": "{path}：文件名不是 .xlsx 或 .csv",
    "for example: sample.xlsx": "例如：sample.xlsx",
    "--days {value}: must be 0 or more": "--days {value}：必须大于或等于 0",
    "--platform '{value}' is neither a platform nor an SOP id": "--platform '{value}' 既不是平台也不是 SOP id",
    "--owner '{value}' is not on the team": "--owner '{value}' 不在团队里",
    "{option}: '{value}' is not a whole number": "{option}：'{value}' 不是整数",
    "write it in digits, like 3": "用数字写，比如 3",
    "--category '{value}' is not a category of the team": "--category '{value}' 不是团队的类目",
    "add it under categories: in storeops.yaml (known: {list})": "把它加到 storeops.yaml 的 categories: 下（已有：{list}）",
    "'{value}' is not a category of the team (did you mean {alts}?)": "'{value}' 不是团队的类目（你要找的是 {alts} 吗？）",
    "'{value}' is not a category of the team (add it under categories: in storeops.yaml)":
        "'{value}' 不是团队的类目（把它加到 storeops.yaml 的 categories: 下）",
    "people: {list}": "成员：{list}",
    "--site '{value}' is not a site of any SOP": "--site '{value}' 不是任何 SOP 的站点",
    "platforms: {list}": "平台：{list}",
    "{person} is already on the team": "{person} 已在团队中",
    "{email} already belongs to {person}": "{email} 已属于 {person}",
    "{person} still has work: {list}": "{person} 仍有任务：{list}",
    "copied {n} template(s) to {file}, filled from {project}": "已复制 {n} 个模板到 {file}，并用 {project} 的资料填写",
    "{template}: not filled: {list} (marked [[MISSING: ...]])": "{template}：未填写：{list}（已标记为 [[MISSING: ...]]）",
    "add them to the entities: entry {value} in storeops.yaml": "请在 storeops.yaml 的 entities: 中 {value} 一项补充这些字段",
    "describe {value} under entities: in storeops.yaml (name, legal_rep, address, ...)":
        "请在 storeops.yaml 的 entities: 下描述 {value}（name、legal_rep、address 等）",
    "{project} names no entity: add `entity:` to its file, then describe it under entities: in storeops.yaml":
        "{project} 未写明主体：请在项目文件中加上 `entity:`，再在 storeops.yaml 的 entities: 下描述它",
    "--project fills copies: it needs --copy-to DIR": "--project 用于填写复制出的模板：需要同时给出 --copy-to DIR",
    "move it with `storeops handover {person} --to PERSON` first": "请先用 `storeops handover {person} --to PERSON` 转交",
    "{person} cannot hand over to themselves": "{person} 不能转交给自己",
    "name someone else with --to": "请用 --to 指定另一个人",
    "archived projects are kept as history": "已归档的项目作为历史保留，不转交",
    "{person} has nothing to hand over": "{person} 没有需要转交的项目或任务",
    "{project}: owner {person} → {person2}": "{project}：负责人 {person} → {person2}",
    "{project}: {task} needs a {role} approval from someone other than {person} (cross-review)":
        "{project}：{task} 需要 {person} 以外持有 {role} 角色的人审批（交叉审核）",
    "dry run: {n} project(s) and {n2} task(s) would move; nothing changed":
        "试运行：将转交 {n} 个项目和 {n2} 个任务；未作任何更改",
    "handed over {n} project(s) and {n2} task(s) to {person} in one commit":
        "已在一次提交中把 {n} 个项目和 {n2} 个任务转交给 {person}",
    "{person} is the last admin": "{person} 是最后一个管理员",
    "give someone else the admin role first": "请先把 admin 角色给其他人",
    # ---- projects and tasks ----
    "project '{project}' already exists": "项目 '{project}' 已存在",
    "choose another --id": "请用 --id 换一个",
    "--site '{value}' is not a site of {sop}": "--site '{value}' 不是 {sop} 的站点",
    "sites: {list}": "站点：{list}",
    "--store must not be empty": "--store 不能为空",
    "--target {date} is before the start {date2}": "--target {date} 早于开始日期 {date2}",
    "{project} is archived and read-only": "{project} 已归档，只读",
    "storeops reopen {project} first": "请先运行 storeops reopen {project}",
    "--to '{value}' is not a state": "--to '{value}' 不是任务状态",
    "{task} is already {state}": "{task} 已经是{state}",
    "{task} cannot go {state} → {state2} (from {state3}: {states})":
        "{task} 不能从{state}变为{state2}（{state3}只能变为：{states}）",
    "{task} is not optional and cannot be skipped": "{task} 不是可选任务，不能跳过",
    "{task} waits for {list} (not done yet)": "{task} 要等 {list} 完成",
    "{task} needs an approval by {role}: advance it to submitted first": "{task} 需要 {role} 审核：请先推进到已提交",
    "{task} needs an approval by someone with the {role} role other than the assignee (storeops approve {project} "
    "{task2})": "{task} 需要执行人以外的 {role} 角色成员审核（storeops approve {project} {task2}）",
    "{task} is {state}; nothing to advance": "{task} 已是{state}，没有下一步",
    "use --to in_progress to reopen it": "用 --to in_progress 重新打开",
    "{task} is already assigned to {person}": "{task} 已分配给 {person}",
    "nothing to change": "没有需要修改的内容",
    "pass --due DATE and/or --appointment DATETIME": "请给出 --due DATE 和/或 --appointment DATETIME",
    "{task} is not an appointment task": "{task} 不是预约类任务",
    "only tasks like video-verification take --appointment": "只有视频验证这类任务可以用 --appointment",
    "{task} is already scheduled like that": "{task} 的日程已经是这样",
    "{task} has no approval gate": "{task} 没有审核关卡",
    "only tasks with requires_approval take approvals": "只有设置了 requires_approval 的任务需要审批",
    "{email} is not on the team, so it cannot approve": "{email} 不在团队中，不能审批",
    "an admin adds you with `storeops person add NAME --email EMAIL --role ROLE`":
        "请管理员用 `storeops person add NAME --email EMAIL --role ROLE` 添加你",
    "{person} does not hold the {role} role that {task} needs": "{person} 没有 {task} 所需的 {role} 角色",
    "ask someone with {role}: {list}": "请找有 {role} 角色的人：{list}",
    "{person} is the assignee of {task} and cannot approve their own work": "{person} 是 {task} 的执行人，不能审批自己的工作",
    "ask another person with the {role} role (cross-review)": "请另一位有 {role} 角色的人审批（交叉审核）",
    "{task} is {state}; approvals are given to submitted work": "{task} 是{state}；只能审批已提交的任务",
    "the assignee runs `storeops advance {project} {task} --to submitted` first":
        "请执行人先运行 `storeops advance {project} {task} --to submitted`",
    "{person} already approved {task}": "{person} 已经审批过 {task}",
    # ---- documents and keys ----
    "which document of {task}? pass --doc": "{task} 的哪份资料？请用 --doc 指定",
    "its documents: {list}": "它的资料：{list}",
    "which document? pass --doc DOC_ID (and --task for a new one)": "哪份资料？请用 --doc DOC_ID 指定（新资料再加 --task）",
    "documents: {list}": "资料：{list}",
    "{project} has no document '{doc}'": "{project} 没有资料 '{doc}'",
    "{task} has no document '{doc}'": "{task} 没有资料 '{doc}'",
    "pass --task T to add it to a task": "用 --task T 把它加到某个任务",
    "{path}: no such file": "{path}：文件不存在",
    "{path} is a folder, not a file": "{path} 是文件夹，不是文件",
    "{option} {path}: the folder {path2} does not exist": "{option} {path}：文件夹 {path2} 不存在",
    "{option} {path}: {path2} is not a folder": "{option} {path}：{path2} 不是文件夹",
    "create the folder first, or choose another path": "请先建好文件夹，或换一个路径",
    "merge-file takes BASE OURS THEIRS as git passes them (%O %A %B)":
        "merge-file 接收 git 传入的 BASE OURS THEIRS（%O %A %B）",
    "{path}: no such identity file": "{path}：身份文件不存在",
    "{path}: a folder without identity files (*.txt)": "{path}：文件夹中没有身份文件（*.txt）",
    "next: storeops rekey --identity {file} (your new key cannot open what was encrypted to the old one: rekey with both)":
        "下一步：storeops rekey --identity {file}（新密钥打不开用旧密钥加密的内容：请同时用新旧两把密钥重新加密）",
    "{path} is a folder; attach one file at a time": "{path} 是文件夹；请一次附加一个文件",
    "{doc} is marked sensitive; it is always stored encrypted": "{doc} 标记为敏感资料，总是加密保存",
    "drop --plain": "去掉 --plain",
    "nothing is attached for {project}/{doc} yet": "{project}/{doc} 还没有附件",
    "the attached file is missing from the work tree": "附件不在工作区中",
    "cannot encrypt {what}: none of its readers ({list}) has a key": "无法加密 {what}：它的可查看人（{list}）都没有密钥",
    "add a key with `storeops person key NAME --age-recipient age1...`":
        "用 `storeops person key NAME --age-recipient age1...` 添加密钥",
    "name readers who are on the team": "请指定团队中的人作为可查看人",
    "no identity to decrypt with": "没有可用于解密的身份密钥",
    "run `storeops keygen` (writes {path}) or set STOREOPS_IDENTITY":
        "运行 `storeops keygen`（写入 {path}）或设置 STOREOPS_IDENTITY",
    "{name} is not a reader of {what}; readers: {list}": "{name} 不是 {what} 的可查看人；可查看人：{list}",
    "ask one of them, or an admin to add you with --readers": "请找其中一人，或请管理员用 --readers 加上你",
    "{path} already exists": "{path} 已存在",
    "pass --force to overwrite it": "用 --force 覆盖",
    "pass --force to replace it": "用 --force 替换",
    # ---- files: YAML, schema ----
    "file not found": "文件不存在",
    "a tab character where YAML needs spaces": "YAML 这里需要空格，却是制表符",
    "indent with spaces, not tabs": "用空格缩进，不要用制表符",
    "fix the YAML syntax": "请修正 YAML 语法",
    "nesting too deep": "嵌套太深",
    "fix the field, then run `storeops check`": "修正该字段后运行 `storeops check`",
    "fix the SOP, then run `storeops check`": "修正 SOP 后运行 `storeops check`",
    "nothing was written": "没有写入任何内容",
    "id is '{value}' but the file is named {name}.yaml": "id 是 '{value}'，文件名却是 {name}.yaml",
    "rename the file or fix the id": "重命名文件或修改 id",
    "unknown field '{field}' ({hint})": "未知字段 '{field}'（{hint}）",
    "unknown field '{field}'; expected one of {list}": "未知字段 '{field}'；应为以下之一：{list}",
    "'{value}' is not one of {list}": "'{value}' 不是以下之一：{list}",
    "'{field}' is a required property": "缺少必填字段 '{field}'",
    # ---- the error boundary ----
    "unexpected error: {detail}": "意外错误：{detail}",
    "rerun with --debug for the traceback, and report it": "加 --debug 重新运行可看到回溯信息，请报告这个问题",
    # ---- what commands say when they worked ----
    "{project}: {task} {state} → {state2}": "{project}：{task} {state} → {state2}",
    "{project}: {task} {who} → {person}": "{project}：{task} {who} → {person}",
    "{project}: {task} due {date}": "{project}：{task} 截止 {date}",
    "{project}: {task} due {date}, appointment {when}": "{project}：{task} 截止 {date}，预约 {when}",
    "{project}: {task} no due date": "{project}：{task} 无截止日期",
    "{project}: {task} no due date, appointment {when}": "{project}：{task} 无截止日期，预约 {when}",
    "{project}: {task} approved by {person} ({role})": "{project}：{task} 已由 {person}（{role}）审批通过",
    "next: {command}": "下一步：{command}",
    "{project}: {task} {state} → rejected ({reason})": "{project}：{task} {state} → 被驳回（{reason}）",
    "evidence kept as {file}": "证据已保存为 {file}",
    "advice: {text}": "建议：{text}",
    "next: rework it, then `storeops advance {project} {task}` to start again":
        "下一步：返工，然后运行 `storeops advance {project} {task}` 重新开始",
    "{project}: archived ({outcome})": "{project}：已归档（{outcome}）",
    "{project}: reopened (was {outcome} on {date})": "{project}：已重新打开（原为 {date} {outcome}）",
    "{project} is already archived ({outcome} on {date})": "{project} 已归档（{date} {outcome}）",
    "{project} is not archived": "{project} 没有归档",
    "--reason '{value}' is not a rejection reason of {sop}": "--reason '{value}' 不是 {sop} 的驳回原因",
    "reasons: {list}": "原因：{list}",
    "--reason must say why the project ends": "--reason 必须说明项目结束的原因",
    "would re-encrypt {n} item(s); nothing written": "将重新加密 {n} 项；没有写入任何内容",
    "re-encrypted {n} item(s) in commit {commit}": "已在提交 {commit} 中重新加密 {n} 项",
    "nothing to re-encrypt": "没有需要重新加密的内容",
    "nobody on the team holds the {role} role, which must approve {list} (storeops person add NAME --email E "
    "--role {role2})": "团队中没有人担任 {role} 角色，而 {list} 需要它审批（storeops person add NAME --email E --role {role2}）",
    "the plan ends {date}, after the target {date2}": "计划在 {date} 结束，晚于目标日期 {date2}",
    "example stores repo with {n} projects in {file}": "示例 stores 仓库已建在 {file}，含 {n} 个项目",
    "try: {command}": "试试：{command}",
    "wrote {file}": "已写入 {file}",
    "wrote {file}; edit it, bump `version`, then run `storeops check`":
        "已写入 {file}；编辑它、更新 `version`，然后运行 `storeops check`",
    "initialised stores repo '{team}' in {file}": "已在 {file} 初始化 stores 仓库 '{team}'",
    "you are {person} ({roles}); next: storeops person add NAME --email E --role ops":
        "你是 {person}（{roles}）；下一步：storeops person add NAME --email E --role ops",
    "set {person}'s key": "已设置 {person} 的密钥",
    "replaced {person}'s key": "已替换 {person} 的密钥",
    "next: storeops rekey (re-encrypts existing documents and secrets to the new key)":
        "下一步：storeops rekey（把已有资料和密钥项重新加密给新密钥）",
    "next: storeops rekey (until then {person} can still decrypt documents at HEAD)":
        "下一步：storeops rekey（在此之前 {person} 仍能解密 HEAD 中的资料）",
    "schemas are up to date": "schema 已是最新",
    "updated {n} schema file(s)": "已更新 {n} 个 schema 文件",
    "copied {n} template(s) to {file}": "已复制 {n} 个模板到 {file}",
    "added {person} <{email}>": "已添加 {person} <{email}>",
    "added {person} <{email}> ({roles})": "已添加 {person} <{email}>（{roles}）",
    "removed {person}": "已移除 {person}",
    "no projects (create one with `storeops new`)": "还没有项目（用 `storeops new` 新建）",
    "no projects match": "没有符合条件的项目",
    "no project file could be read (named above)": "没有能读取的项目文件（见上方）",
    # ---- doctor ----
    "storeops.yaml: team {what}, {n} people": "storeops.yaml：团队 {what}，共 {n} 人",
    "you are {person} ({what})": "你是 {person}（{what}）",
    "{email} is not in storeops.yaml: your changes will show your git name and you cannot approve":
        "{email} 不在 storeops.yaml 中：你的修改将以 git 用户名显示，且你不能审批",
    "merge driver: {file} -m storeops merge-file, git's line merge if it cannot run":
        "合并驱动：{file} -m storeops merge-file，无法运行时改用 git 的逐行合并",
    "merge driver registered (was missing): {file} -m storeops merge-file, git's line merge if it cannot run":
        "已注册合并驱动（原先没有）：{file} -m storeops merge-file，无法运行时改用 git 的逐行合并",
    "merge driver registered (bare storeops depends on git's PATH and has no line-merge fallback): {file} -m "
    "storeops merge-file, git's line merge if it cannot run":
        "已重新注册合并驱动（裸命令 storeops 依赖 git 的 PATH，且无法退回逐行合并）：{file} -m storeops merge-file，"
        "无法运行时改用 git 的逐行合并",
    "merge driver registered ({file2} is not storeops's driver with a line-merge fallback): {file} -m storeops "
    "merge-file, git's line merge if it cannot run":
        "已重新注册合并驱动（{file2} 不是带逐行合并退路的 storeops 驱动）：{file} -m storeops merge-file，"
        "无法运行时改用 git 的逐行合并",
    "merge driver registered (interpreter {file2} is missing): {file} -m storeops merge-file, git's line merge "
    "if it cannot run":
        "已重新注册合并驱动（解释器 {file2} 不存在）：{file} -m storeops merge-file，无法运行时改用 git 的逐行合并",
    "merge driver registered (interpreter {file2} has no storeops): {file} -m storeops merge-file, git's line "
    "merge if it cannot run":
        "已重新注册合并驱动（解释器 {file2} 里没有 storeops）：{file} -m storeops merge-file，无法运行时改用 git 的逐行合并",
    "storeops cannot run here, so git merged this file line by line": "此处无法运行 storeops，git 已逐行合并此文件",
    "merge driver: {what}": "合并驱动：{what}",
    "merge driver registered ({what}): {what2}": "已注册合并驱动（{what}）：{what2}",
    "pre-commit guard: {what}": "pre-commit 守卫：{what}",
    "pre-commit guard {what}: {what2} (refuses plaintext documents under attachments/)":
        "pre-commit 守卫已{what}：{what2}（拒绝提交 attachments/ 下的明文资料）",
    "{file} {what}; add this line to it: storeops hook pre-commit": "{file} {what}；请在其中加入这一行：storeops hook pre-commit",
    ".gitattributes sends projects/*.yaml to the storeops merge driver": ".gitattributes 已把 projects/*.yaml 交给 storeops 合并驱动",
    "add `projects/*.yaml merge=storeops text eol=lf` to .gitattributes and commit it":
        "在 .gitattributes 中加入 `projects/*.yaml merge=storeops text eol=lf` 并提交",
    "remotes: {what}": "远程仓库：{what}",
    "no remote: storeops sync needs one (git remote add origin URL)": "没有远程仓库：storeops sync 需要一个（git remote add origin URL）",
    # ---- isolation ----
    "no shared network, device, login, phone, payout account or entity among {n} active store(s)":
        "{n} 个进行中的店铺之间没有共用的网络、设备、登录、电话、收款账户或主体",
    "{n} linked-account risk(s) among {n2} active store(s)": "{n2} 个进行中的店铺中有 {n} 处关联风险",
    "no isolation data yet: {what} ({command})": "尚无隔离信息：{what}（{command}）",
    # ---- status PROJECT TASK ----
    "approved by {who} ({role}) on {date}": "{who}（{role}）于 {date} 审批通过",
    "check every {what}": "每 {what} 查看一次",
    "(valid {n} days from issue)": "（签发后 {n} 天内有效）",
    # ---- sop show ----
    "{file} (built-in)": "{file}（内置）",
    # ---- diff ----
    " by {who}": "，由 {who} 审批",
    "### storeops: no project changes in `{what}`": "### storeops：`{what}` 中没有项目变更",
    "### storeops: {n} project(s) changed in `{what}`": "### storeops：`{what}` 中有 {n} 个项目变更",
    "{n} change": "{n} 处变更",
    "{n} changes": "{n} 处变更",
    "no project changes": "没有项目变更",
    "no changes match": "没有符合条件的变更",
    "{project} has no secrets; add one with `storeops secret set {project2} KEY`":
        "{project} 没有密钥；用 `storeops secret set {project2} KEY` 添加",
    "wrote your identity to {file} (keep it private, back it up)": "已把你的身份私钥写入 {file}（妥善保管并备份）",
    "{file}: cannot merge by field ({what}); merged line by line with conflict markers":
        "{file}：无法按字段合并（{what}）；已按行合并并留下冲突标记",

    "not shown at this width: {what} (--wide shows every column, --json everything)":
        "此宽度下未显示：{what}（--wide 显示全部列，--json 显示全部内容）",
    "document {doc} is not attached; {command}": "资料 {doc} 还没有附上；{command}",
    "document {doc} expired on {date}; {command}": "资料 {doc} 已于 {date} 过期；{command}",
    "attached {ref}: {file} (plain)": "已附加 {ref}：{file}（未加密）",
    "attached {ref}: {file} (encrypted for {list})": "已附加 {ref}：{file}（已加密，可查看人：{list}）",
    "replaced {ref}: {file} (plain)": "已替换 {ref}：{file}（未加密）",
    "replaced {ref}: {file} (encrypted for {list})": "已替换 {ref}：{file}（已加密，可查看人：{list}）",
    "{path} is inside the stores repo": "{path} 在 stores 仓库里面",
    "export outside it: a package there could be committed by accident": "请导出到仓库外：放在仓库里可能被误提交",
    "write plaintext outside it (it could be committed), or use --stdout": "请把明文写到仓库外（否则可能被提交），或用 --stdout",
    "{path} is plaintext inside the stores repo: delete it (it was not committed)":
        "{path} 是 stores 仓库里的明文文件：请删除它（它没有被提交）",
    "{list} cannot open it until they have a key (`storeops person key`) and someone runs `storeops rekey`":
        "{list} 要等有了密钥（`storeops person key`）并有人运行 `storeops rekey` 后才能打开",
    "you are not among its readers: you will not be able to open it": "你不在可查看人之中：你将无法打开它",
    "{doc} is valid {n} days from issue: pass --issued DATE so storeops can tell when it expires":
        "{doc} 自开具日起 {n} 天内有效：请用 --issued DATE 给出开具日期，storeops 才能提醒到期",
    "sent {n} message(s) to {where}": "已向 {where} 发送 {n} 条消息",
    "mailed {n} digest(s) through {server}": "已通过 {server} 发送 {n} 封摘要邮件",
    "{n} reminder(s) for {who} not mailed: not a person in storeops.yaml":
        "{who} 的 {n} 项提醒未发送：storeops.yaml 中没有此人",
    "{n} problem(s)": "{n} 个问题",
    "ok: {n} project file(s), storeops.yaml and the team's SOPs": "通过：{n} 个项目文件、storeops.yaml 和团队的 SOP",
    "ok: every commit since {base}": "通过：{base} 之后的每个提交",
    "{n} file(s) not in canonical form (run `storeops fmt`)": "{n} 个文件不是规范格式（运行 `storeops fmt`）",
    "formatted {n} file(s)": "已格式化 {n} 个文件",
    # ---- input edges (issue 14) ----
    "'{value}' is outside the years {n}–{n2}": "'{value}' 不在 {n}–{n2} 年之间",
    "{option}: '{value}' is outside the years {n}–{n2}": "{option}：'{value}' 不在 {n}–{n2} 年之间",
    "dates run from {n} to {n2}": "日期须在 {n} 年到 {n2} 年之间",
    "the secret on stdin is not UTF-8 text (byte {n}); nothing was stored":
        "标准输入中的密文不是 UTF-8 文本（第 {n} 字节）；没有保存任何内容",
    "pipe text, or store a binary file with `storeops attach`": "请输入文本；二进制文件请用 `storeops attach` 保存",
    "git push {remote} was refused: {what}": "git push {remote} 被拒绝：{what}",
    "the remote is a working copy with that branch checked out: push to a bare repository (git clone --bare) instead; your commits are safe locally":
        "远端是一个检出了该分支的工作副本：请推送到裸仓库（git clone --bare）；你的提交在本地是安全的",
    "your commits are safe locally; fix what the remote says and run storeops sync again":
        "你的提交在本地是安全的；按远端的提示修复后再运行 storeops sync",
    "the history is shallow (a shallow clone): changes before its oldest commit are missing, and what that commit holds shows as made there":
        "历史是浅克隆的：最早提交之前的变更缺失，该提交中已有的内容会显示为在那里产生",
    "run `git fetch --unshallow` to read the whole history": "运行 `git fetch --unshallow` 读取完整历史",
    # ---- symlinks in the stores repo (issue 14) ----
    "{file} is a symbolic link: storeops does not read or write through links in the stores repo":
        "{file} 是符号链接：storeops 不会通过 stores 仓库中的链接读写文件",
    "replace it with a real file or folder (`storeops check` lists every link); nothing was changed":
        "请换成真实的文件或文件夹（`storeops check` 会列出所有链接）；没有做任何改动",
}
