"""Steps driving a target system's screens in the run's browser session (Playwright)."""

from django.utils.translation import gettext_noop

from jichitai.automation.errors import BusinessError, NotApplied
from jichitai.automation.registry import ANY, EXTERNAL, REMOTE, STRING, step


def _locate(ctx, page, selector):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_selector(selector, state="attached", timeout=ctx.selector_timeout_ms)
    except PlaywrightTimeout:
        raise BusinessError(
            f"画面({page.url})に項目「{selector}」が見つかりません。対象システムの画面が変更された可能性があります。"
        ) from None
    return page.locator(selector).first


def _check_status(ctx, page, what):
    status = ctx.browser.last_status
    if status is not None and status >= 500:
        raise NotApplied(f"対象システムが応答しません(HTTP {status}): {what}")
    if status is not None and status >= 400:
        raise BusinessError(f"対象システムがエラーを返しました(HTTP {status}): {what}")


@step(
    "browser.open",
    gettext_noop("画面を開く"),
    properties={"target": STRING, "path": STRING},
    required=["target"],
    effect=REMOTE,
    describe=lambda p: f"画面を開く: {p.get('target')} {p.get('path', '/')}",
)
def browser_open(ctx, target, path="/"):
    url = ctx.target_url(target, path)

    def go(page):
        from playwright.sync_api import Error as PlaywrightError

        ctx.browser.last_status = None
        try:
            page.goto(url, wait_until="load")
        except PlaywrightError as error:
            raise NotApplied(
                f"対象システムに接続できません: {url} ({error.message.splitlines()[0]})"
            ) from None
        _check_status(ctx, page, url)

    ctx.browser.call(go)


def _fill_describe(p):
    shown = "[秘密情報]" if p.get("secret") else p.get("value")
    return f"入力: {p.get('selector')} ← {shown}"


@step(
    "browser.fill",
    gettext_noop("入力する"),
    properties={"selector": STRING, "value": ANY, "secret": STRING},
    required=["selector"],
    effect=REMOTE,
    describe=_fill_describe,
)
def browser_fill(ctx, selector, value=None, secret=None):
    text = ctx.secret(secret) if secret else ("" if value is None else str(value))
    ctx.browser.call(lambda page: _locate(ctx, page, selector).fill(text))


@step(
    "browser.select",
    gettext_noop("選択する"),
    properties={"selector": STRING, "value": ANY},
    required=["selector", "value"],
    effect=REMOTE,
    describe=lambda p: f"選択: {p.get('selector')} ← {p.get('value')}",
)
def browser_select(ctx, selector, value):
    def choose(page):
        from playwright.sync_api import Error as PlaywrightError

        try:
            _locate(ctx, page, selector).select_option(
                label=str(value), timeout=ctx.selector_timeout_ms
            )
        except PlaywrightError:
            raise BusinessError(f"項目「{selector}」に選択肢「{value}」がありません。") from None

    ctx.browser.call(choose)


@step(
    "browser.click",
    gettext_noop("クリックする"),
    properties={"selector": STRING, "submit": {"type": "boolean"}},
    required=["selector"],
    effect=lambda p: EXTERNAL if p.get("submit") else REMOTE,
    describe=lambda p: (
        ("送信(書き込み): " if p.get("submit") else "クリック: ") + str(p.get("selector"))
    ),
)
def browser_click(ctx, selector, submit=False):
    def click(page):
        element = _locate(ctx, page, selector)
        ctx.browser.last_status = None
        element.click()
        page.wait_for_load_state("load")
        _check_status(ctx, page, selector)

    ctx.browser.call(click)


@step(
    "browser.read_text",
    gettext_noop("文字を読み取る"),
    properties={"selector": STRING},
    required=["selector"],
    effect=REMOTE,
)
def browser_read_text(ctx, selector):
    return ctx.browser.call(lambda page: _locate(ctx, page, selector).inner_text().strip())


@step(
    "browser.read_table",
    gettext_noop("表を読み取る"),
    properties={"selector": STRING},
    required=["selector"],
    effect=REMOTE,
)
def browser_read_table(ctx, selector):
    def read(page):
        table = _locate(ctx, page, selector)
        return table.evaluate(
            """table => {
                const rows = [...table.querySelectorAll('tr')].map(
                    tr => [...tr.querySelectorAll('th,td')].map(c => c.innerText.trim()));
                const header = rows.shift() || [];
                return rows.map(r => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
            }"""
        )

    return ctx.browser.call(read)


@step(
    "browser.download",
    gettext_noop("ダウンロードする"),
    properties={"selector": STRING, "output": STRING},
    required=["selector", "output"],
    effect=REMOTE,
)
def browser_download(ctx, selector, output):
    def download(page):
        element = _locate(ctx, page, selector)
        with page.expect_download() as info:
            element.click()
        return open(info.value.path(), "rb").read()

    return ctx.write_output(output, ctx.browser.call(download))


@step(
    "browser.screenshot",
    gettext_noop("画面を保存する"),
    properties={"output": STRING},
    required=["output"],
    effect=REMOTE,
)
def browser_screenshot(ctx, output):
    return ctx.write_output(output, ctx.browser.call(lambda page: page.screenshot(full_page=True)))
