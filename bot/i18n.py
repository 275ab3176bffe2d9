"""Every message of the bot in English and Arabic: ``t(key, lang, **values)``.

Templates are HTML (Telegram's subset). Values are inserted as given: callers escape what they insert
(``render.esc``). Arabic messages are written right to left; Latin fragments inside them (ids, commands)
are isolated by Telegram's bidi handling, and lines that must start right-to-left begin with an RTL mark.
"""

from __future__ import annotations

LANGS = ("en", "ar")
RLM = "\u200f"

MESSAGES: dict[str, dict[str, str]] = {
    # /start and /help
    "help": {
        "en": ("<b>Raqib</b> follows official statements and reactions in Arabic and English news and tells you "
               "as soon as a tracked body speaks.\n\n"
               "<b>Commands</b>\n"
               "/subscribe [speaker …] [keyword]: follow speakers (a keyboard without arguments)\n"
               "/unsubscribe [speaker …|all]: stop following\n"
               "/subscriptions: what this chat follows\n"
               "/latest [speaker] [n]: the latest statements\n"
               "/who [topic]: who said what, and who has not reacted\n"
               "/chart [topic|speaker] [days]: statements per day, as a chart\n"
               "/digest [HH:MM] [timezone] | off | chart on|off: the daily digest (with a small chart)\n"
               "/language ar|en: the interface language\n"
               "/sources ar|en|both: the languages of the statements you receive\n"
               "/id: your numeric Telegram id (for the bot's admins)\n\n"
               "<b>Tracked speakers</b>\n{speakers}"),
        "ar": ("<b>رقيب</b> يتابع البيانات والمواقف الرسمية في الأخبار العربية والإنجليزية ويخبرك فور صدور "
               "تصريح عن جهة متابَعة.\n\n"
               "<b>الأوامر</b>\n"
               "/subscribe [جهة …] [كلمة]: متابعة جهات (لوحة أزرار دون وسائط)\n"
               "/unsubscribe [جهة …|all]: إيقاف المتابعة\n"
               "/subscriptions: ما تتابعه هذه المحادثة\n"
               "/latest [جهة] [عدد]: أحدث التصريحات\n"
               "/who [موضوع]: من قال ماذا، ومن لم يعلّق بعد\n"
               "/chart [موضوع|جهة] [أيام]: التصريحات يومياً في رسم بياني\n"
               "/digest [HH:MM] [المنطقة الزمنية] | off | chart on|off: الملخص اليومي (مع رسم بياني صغير)\n"
               "/language ar|en: لغة الواجهة\n"
               "/sources ar|en|both: لغات التصريحات التي تصلك\n"
               "/id: معرّفك الرقمي في تيليغرام (لمشرفي البوت)\n\n"
               "<b>الجهات المتابَعة</b>\n{speakers}"),
    },
    "help_admin": {
        "en": "\n\n<b>Admin</b>\n/status · /addfeed URL [speaker] · /removefeed URL",
        "ar": "\n\n<b>للمشرفين</b>\n/status · /addfeed URL [جهة] · /removefeed URL",
    },
    "speaker_line": {"en": "{flag} {name} (<code>{id}</code>)", "ar": "{flag} {name} (<code>{id}</code>)"},
    # commands list (set_my_commands)
    "cmd_start": {"en": "What Raqib does", "ar": "ما الذي يفعله رقيب"},
    "cmd_id": {"en": "Your numeric Telegram id", "ar": "معرّفك الرقمي في تيليغرام"},
    "cmd_help": {"en": "Commands and tracked speakers", "ar": "الأوامر والجهات المتابَعة"},
    "cmd_subscribe": {"en": "Follow speakers", "ar": "متابعة جهات"},
    "cmd_unsubscribe": {"en": "Stop following", "ar": "إيقاف المتابعة"},
    "cmd_subscriptions": {"en": "What this chat follows", "ar": "ما تتابعه هذه المحادثة"},
    "cmd_latest": {"en": "The latest statements", "ar": "أحدث التصريحات"},
    "cmd_who": {"en": "Who said what", "ar": "من قال ماذا"},
    "cmd_digest": {"en": "The daily digest", "ar": "الملخص اليومي"},
    "cmd_language": {"en": "Interface language", "ar": "لغة الواجهة"},
    # /subscribe
    "subscribe_keyboard": {
        "en": "Tap a speaker to follow or unfollow it (✅ = followed).",
        "ar": "اضغط على جهة لمتابعتها أو إلغاء متابعتها (✅ = متابَعة).",
    },
    "subscribed": {"en": "✅ Following: {names}", "ar": "✅ تتم متابعة: {names}"},
    "subscribed_keyword": {
        "en": "✅ Following {names}, only statements mentioning “{keyword}”.",
        "ar": "✅ تتم متابعة {names}، فقط التصريحات التي تذكر «{keyword}».",
    },
    "already_subscribed": {"en": "You already follow {names}.", "ar": "أنت تتابع {names} بالفعل."},
    "unknown_speakers": {
        "en": "Unknown speaker: {names}. Known: {known}",
        "ar": "جهة غير معروفة: {names}. الجهات المعروفة: {known}",
    },
    "usage_subscribe": {
        "en": "Usage: /subscribe [speaker …] [keyword], e.g. /subscribe pentagon or /subscribe state Syria",
        "ar": "الاستخدام: /subscribe [جهة …] [كلمة]، مثلاً /subscribe البنتاغون أو /subscribe state سوريا",
    },
    "unsubscribed": {"en": "Stopped following: {names}", "ar": "تم إيقاف متابعة: {names}"},
    "unsubscribed_all": {"en": "Stopped following everything.", "ar": "تم إيقاف كل المتابعات."},
    "not_subscribed": {"en": "You do not follow {names}.", "ar": "أنت لا تتابع {names}."},
    "usage_unsubscribe": {
        "en": "Usage: /unsubscribe speaker … or /unsubscribe all",
        "ar": "الاستخدام: /unsubscribe جهة … أو /unsubscribe all",
    },
    "subscriptions": {"en": "<b>This chat follows</b>\n{lines}", "ar": "<b>تتابع هذه المحادثة</b>\n{lines}"},
    "subscription_keyword": {"en": " (only “{keyword}”)", "ar": " (فقط «{keyword}»)"},
    "no_subscriptions": {
        "en": "This chat follows nobody yet. Try /subscribe",
        "ar": "لا تتابع هذه المحادثة أي جهة بعد. جرّب /subscribe",
    },
    # /latest
    "usage_latest": {
        "en": "Usage: /latest [speaker] [n], n from 1 to {max}, e.g. /latest pentagon 3",
        "ar": "الاستخدام: /latest [جهة] [عدد]، العدد من 1 إلى {max}، مثلاً /latest البنتاغون 3",
    },
    "latest_title": {"en": "<b>Latest statements</b>", "ar": "<b>أحدث التصريحات</b>"},
    "latest_title_speaker": {"en": "<b>Latest statements: {name}</b>", "ar": "<b>أحدث تصريحات {name}</b>"},
    "nothing_yet": {"en": "No statements yet.", "ar": "لا توجد تصريحات بعد."},
    "carried_by": {"en": "Carried by", "ar": "نقلته"},
    "by_person": {"en": "{person}", "ar": "{person}"},
    # /who
    "who_title": {"en": "<b>Who said what</b> (last 24 h · 7 days)", "ar": "<b>من قال ماذا</b> (آخر 24 ساعة · 7 أيام)"},
    "who_counts": {"en": "{day} in 24 h · {week} in 7 days", "ar": "{day} خلال 24 ساعة · {week} خلال 7 أيام"},
    "who_latest": {"en": "Latest:", "ar": "الأحدث:"},
    "who_none": {"en": "No statement in the last 7 days.", "ar": "لا تصريح خلال آخر 7 أيام."},
    "who_topic_title": {"en": "<b>Who reacted to “{topic}”</b> (last 7 days)",
                        "ar": "<b>من علّق على «{topic}»</b> (آخر 7 أيام)"},
    "who_reacted": {"en": "<b>Reacted</b>", "ar": "<b>علّقوا</b>"},
    "who_not_reacted": {"en": "<b>No reaction found</b>", "ar": "<b>لم يُعثر على تعليق</b>"},
    "who_nobody": {"en": "No tracked speaker has reacted to “{topic}” in the last 7 days.",
                   "ar": "لم تعلّق أي جهة متابَعة على «{topic}» خلال آخر 7 أيام."},
    "usage_who": {"en": "Usage: /who [topic], a topic with letters or digits, e.g. /who Hasakah",
                  "ar": "الاستخدام: /who [موضوع]، موضوع فيه حروف أو أرقام، مثلاً /who الحسكة"},
    "matches": {"en": "{n} matching statements", "ar": "{n} تصريحات مطابقة"},
    # /digest
    "usage_digest": {
        "en": "Usage: /digest HH:MM [timezone] or /digest off, e.g. /digest 08:00 Asia/Riyadh",
        "ar": "الاستخدام: /digest HH:MM [المنطقة الزمنية] أو /digest off، مثلاً /digest 08:00 Asia/Riyadh",
    },
    "bad_timezone": {
        "en": "Unknown timezone “{tz}”. Use an IANA name such as Asia/Riyadh or Europe/London.",
        "ar": "منطقة زمنية غير معروفة «{tz}». استخدم اسماً مثل Asia/Riyadh أو Europe/London.",
    },
    "digest_set": {"en": "📰 Daily digest at {time} ({tz}).", "ar": "📰 الملخص اليومي الساعة {time} ({tz})."},
    "digest_off": {"en": "Daily digest turned off.", "ar": "تم إيقاف الملخص اليومي."},
    "digest_current": {
        "en": "📰 Daily digest at {time} ({tz}). Change it with /digest HH:MM [timezone] or /digest off",
        "ar": "📰 الملخص اليومي الساعة {time} ({tz}). غيّره بـ /digest HH:MM [المنطقة الزمنية] أو /digest off",
    },
    "digest_current_off": {
        "en": "The daily digest is off. Turn it on with /digest HH:MM [timezone]",
        "ar": "الملخص اليومي متوقف. فعّله بـ /digest HH:MM [المنطقة الزمنية]",
    },
    "digest_title": {"en": "<b>📰 Daily digest, {day}</b>", "ar": "<b>📰 الملخص اليومي، {day}</b>"},
    "digest_empty": {"en": "No statements from the speakers you follow today.",
                     "ar": "لا تصريحات اليوم من الجهات التي تتابعها."},
    # /language
    "usage_language": {"en": "Usage: /language ar|en", "ar": "الاستخدام: /language ar|en"},
    "language_set": {"en": "Language: English.", "ar": "اللغة: العربية."},
    # /sources
    "sources_ar": {"en": "Arabic", "ar": "العربية"},
    "sources_en": {"en": "English", "ar": "الإنجليزية"},
    "sources_both": {"en": "Arabic and English", "ar": "العربية والإنجليزية"},
    "sources_current": {"en": "Source languages: <b>{choice}</b>.", "ar": "لغات المصادر: <b>{choice}</b>."},
    "sources_set": {"en": "Source languages: {choice}.", "ar": "لغات المصادر: {choice}."},
    "sources_help": {
        "en": "This chat receives statements reported in these languages (pushes, /latest, the digest); a statement "
              "reported in both is shown in Arabic or English as chosen here, else in the interface language. "
              "Change it with the buttons or /sources ar|en|both.",
        "ar": "تتلقى هذه المحادثة التصريحات المنشورة بهذه اللغات (التنبيهات و/latest والملخص)؛ والتصريح المنشور "
              "باللغتين يُعرض باللغة المختارة هنا، وإلا فبلغة الواجهة. غيّرها بالأزرار أو بـ /sources ar|en|both.",
    },
    "usage_sources": {"en": "Usage: /sources ar|en|both", "ar": "الاستخدام: /sources ar|en|both"},
    "cmd_sources": {"en": "Source languages: Arabic, English, both", "ar": "لغات المصادر: العربية، الإنجليزية، كلاهما"},
    # /chart
    "chart_title": {"en": "Statements per day, last {days} days", "ar": "التصريحات يومياً، آخر {days} يوماً"},
    "chart_title_speaker": {"en": "{name}: statements per day, last {days} days",
                            "ar": "{name}: التصريحات يومياً، آخر {days} يوماً"},
    "chart_title_topic": {"en": "“{topic}”: statements per day, last {days} days",
                          "ar": "«{topic}»: التصريحات يومياً، آخر {days} يوماً"},
    "chart_axis": {"en": "statements", "ar": "تصريحات"},
    "chart_first": {"en": "first statement on the topic", "ar": "أول تصريح عن الموضوع"},
    "chart_first_on": {"en": "first on {day}", "ar": "الأول في {day}"},
    "chart_empty": {"en": "No statements in this period.", "ar": "لا تصريحات في هذه الفترة."},
    "usage_chart": {
        "en": "Usage: /chart [topic|speaker] [days], days from 1 to {max}, e.g. /chart Hasakah 14 or /chart pentagon",
        "ar": "الاستخدام: /chart [موضوع|جهة] [أيام]، الأيام من 1 إلى {max}، مثلاً /chart الحسكة 14 أو /chart البنتاغون",
    },
    "cmd_chart": {"en": "Statements per day, as a chart", "ar": "التصريحات يومياً في رسم بياني"},
    "usage_digest_chart": {"en": "Usage: /digest chart on|off", "ar": "الاستخدام: /digest chart on|off"},
    "digest_chart_on": {"en": "📊 The daily digest will carry a small chart of the week.",
                        "ar": "📊 سيحمل الملخص اليومي رسماً بيانياً صغيراً للأسبوع."},
    "digest_chart_off": {"en": "The daily digest will come without a chart.", "ar": "سيأتي الملخص اليومي دون رسم بياني."},
    # inline mode
    "inline_nothing": {"en": "No statement matches. Open Raqib", "ar": "لا تصريح مطابقاً. افتح رقيب"},
    # /id
    "id_user": {"en": "Your Telegram user id: <code>{id}</code>", "ar": "معرّفك الرقمي في تيليغرام: <code>{id}</code>"},
    "id_no_user": {"en": "This message was sent on behalf of a chat, so it has no user id.",
                   "ar": "أُرسلت هذه الرسالة باسم محادثة، فلا معرّف مستخدم لها."},
    "id_chat": {"en": "This chat's id: <code>{id}</code> ({type})", "ar": "معرّف هذه المحادثة: <code>{id}</code> ({type})"},
    "id_hint": {
        "en": "To make this user an administrator of the bot, add the id to <code>admins</code> under "
              "<code>[telegram]</code> in raqib.toml and restart the bot.",
        "ar": "لجعل هذا المستخدم مشرفاً على البوت، أضف المعرّف إلى <code>admins</code> في قسم "
              "<code>[telegram]</code> من ملف raqib.toml ثم أعد تشغيل البوت.",
    },
    "id_channel_hint": {
        "en": "To have the bot post to this channel, keep it an administrator here (allowed to post messages) and "
              "add this id, or the channel's @username, to <code>channels</code> under <code>[telegram]</code>.",
        "ar": "لكي ينشر البوت في هذه القناة، أبقِه مشرفاً فيها (مع صلاحية نشر الرسائل) وأضف هذا المعرّف، أو "
              "اسم القناة @username، إلى <code>channels</code> في قسم <code>[telegram]</code>.",
    },
    "id_admin": {"en": "You are one of the bot's administrators.", "ar": "أنت من مشرفي البوت."},
    # admin
    "admin_only": {
        "en": "Sorry, only the bot's administrators can use this command.",
        "ar": "عذراً، هذا الأمر متاح لمشرفي البوت فقط.",
    },
    "group_admin_only": {
        "en": "Sorry, only this group's administrators can change its subscriptions and settings.",
        "ar": "عذراً، تغيير اشتراكات هذه المجموعة وإعداداتها متاح لمشرفيها فقط.",
    },
    "group_admin_check_failed": {
        "en": "Sorry, I could not check whether you administer this group. Please try again later.",
        "ar": "عذراً، تعذّر التحقق من أنك من مشرفي هذه المجموعة. يرجى المحاولة لاحقاً.",
    },
    "status_title": {"en": "<b>Status</b>", "ar": "<b>الحالة</b>"},
    "status_body": {
        "en": ("Feeds: {feeds} ({failing} failing)\nLast poll: {last_poll}\nLast successful poll: {last_success}\n"
               "Outbox: {pending} pending, {failed} failed\nChats: {chats} · subscribers: {subscribers} · "
               "subscriptions: {subscriptions}\nStatements in 24 h: {recent}"),
        "ar": ("المصادر: {feeds} ({failing} متعثرة)\nآخر جلب: {last_poll}\nآخر جلب ناجح: {last_success}\n"
               "صندوق الإرسال: {pending} بانتظار الإرسال، {failed} فشلت\nالمحادثات: {chats} · المشتركون: "
               "{subscribers} · الاشتراكات: {subscriptions}\nتصريحات آخر 24 ساعة: {recent}"),
    },
    "status_loop": {
        "en": "Event loop since start: max stall {max} ms, p99 {p99} ms ({over} over {threshold} ms)",
        "ar": "حلقة الأحداث منذ البدء: أطول توقف {max} ms، p99 {p99} ms ({over} فوق {threshold} ms)",
    },
    "status_failing": {"en": "<b>Failing feeds</b>", "ar": "<b>مصادر متعثرة</b>"},
    "status_failing_line": {
        "en": "• {name}: {failures} failures, {error} (since {when})",
        "ar": "• {name}: {failures} محاولات فاشلة، {error} (منذ {when})",
    },
    "status_next_try": {"en": "; next try {next}", "ar": "؛ المحاولة التالية {next}"},
    "status_retry_hint": {"en": "Try again now: /status retry all (or /status retry URL)",
                          "ar": "أعد المحاولة الآن: /status retry all (أو /status retry URL)"},
    "status_retried": {"en": "Retrying now: {urls}", "ar": "تُعاد المحاولة الآن: {urls}"},
    "status_retried_none": {"en": "No feed is failing; nothing to retry.",
                            "ar": "لا يوجد مصدر متعثر؛ لا شيء لإعادة المحاولة."},
    "usage_status": {"en": "Usage: /status, or /status retry all|URL", "ar": "الاستخدام: /status أو /status retry all|URL"},
    "now": {"en": "now", "ar": "الآن"},
    "never": {"en": "never", "ar": "أبداً"},
    "usage_addfeed": {"en": "Usage: /addfeed URL [speaker]", "ar": "الاستخدام: /addfeed URL [جهة]"},
    "usage_removefeed": {"en": "Usage: /removefeed URL", "ar": "الاستخدام: /removefeed URL"},
    "feed_refused": {"en": "Refused: {reason}", "ar": "مرفوض: {reason}"},
    "feed_added": {"en": "Added {url}; first poll now.", "ar": "تمت إضافة {url}؛ يبدأ الجلب الآن."},
    "feed_exists": {"en": "{url} is already a feed.", "ar": "{url} موجود مسبقاً."},
    "feed_removed": {"en": "Removed {url}.", "ar": "تمت إزالة {url}."},
    "feed_unknown": {"en": "{url} is not a feed.", "ar": "{url} ليس من المصادر."},
    # errors
    "error": {"en": "Something went wrong; it has been logged. Please try again later.",
              "ar": "حدث خطأ وتم تسجيله. يرجى المحاولة لاحقاً."},
}


def lang_of(code: str | None) -> str:
    """A Telegram ``language_code`` (``ar``, ``ar-SA``, ``en-GB``, None...) -> ``ar`` or ``en``."""
    return "ar" if (code or "").lower().split("-")[0] == "ar" else "en"


def t(key: str, lang: str, **values: object) -> str:
    """The message ``key`` in ``lang`` (English when the language is unknown), formatted with ``values``."""
    entry = MESSAGES[key]
    template = entry.get(lang) or entry["en"]
    return template.format(**values) if values else template

