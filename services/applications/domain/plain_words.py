"""A claim's status in plain words for its applicant (issue 14 point 9), in Chinese or English: what happened
and what to do next, and for a failed payment the bank's reason (an ISO 20022 status reason code, as the bank
returned it: ExternalStatusReason1Code) as a sentence.

The bank's own free text never reaches here (it may quote a name); only its code does.
"""

import re
from dataclasses import dataclass

from services.applications.domain import status as st

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"  # the bureau's applicants; English only when asked for


@dataclass(frozen=True)
class Words:
    zh: str
    en: str

    def in_(self, language: str) -> str:
        return self.en if language == "en" else self.zh


CORRECT_ACCOUNT = Words("请在本系统中更正收款账户（在申请详情页点击“更正收款账户”），经办人员确认后将重新发放。",
                        "Correct your payee account here (on your claim's page, choose “Correct the payee "
                        "account”); once an officer confirms it, the payment is made again.")
NOTHING_TO_DO = Words("您无需操作，经办机构将重新发放。", "Nothing for you to do: the bureau will pay again.")
CONTACT_BANK = Words("请联系您的开户银行解除限制，或更正为其他本人账户。",
                     "Contact your bank to lift the restriction, or change to another account in your own name.")

# code -> (what the bank said, what to do next)
BANK_REASONS: dict[str, tuple[Words, Words]] = {
    "AC01": (Words("收款账号有误，银行无法入账。", "The account number is wrong, so the bank could not credit it."),
             CORRECT_ACCOUNT),
    "AC03": (Words("收款账号无效。", "The account number is not valid."), CORRECT_ACCOUNT),
    "AC04": (Words("收款账户已销户。", "The payee account has been closed."), CORRECT_ACCOUNT),
    "AC06": (Words("收款账户已被冻结或止付。", "The payee account is blocked."), CONTACT_BANK),
    "AC13": (Words("收款账户类型不能接收此笔款项。", "The payee account type cannot receive this payment."),
             CORRECT_ACCOUNT),
    "AG01": (Words("银行不允许向该账户转入此类款项。", "The bank does not allow this kind of payment to that account."),
             CONTACT_BANK),
    "AM04": (Words("付款账户余额暂时不足，款项未能付出。", "The paying account was short of funds, so nothing was paid."),
             NOTHING_TO_DO),
    "AM05": (Words("银行认为这是一笔重复付款而拒绝。", "The bank refused it as a duplicate payment."), NOTHING_TO_DO),
    "BE01": (Words("收款账户户名与账号不一致。", "The name on the payee account does not match the account."),
             Words("请核对账户户名（须与银行预留户名完全一致）并更正收款账户。",
                   "Check the account holder's name (exactly as the bank has it) and correct your payee account.")),
    "MD07": (Words("银行告知收款人已身故。", "The bank reports the payee as deceased."),
             Words("请由继承人或代理人携相关证明到经办机构办理。",
                   "An heir or representative should bring the documents to the bureau.")),
    "MS02": (Words("收款方银行拒绝，未说明原因。", "The payee's bank refused it without giving a reason."),
             CONTACT_BANK),
    "MS03": (Words("银行拒绝，未说明原因。", "The bank refused it without giving a reason."),
             Words("经办机构将向银行核实；如账户信息有变，请更正收款账户。",
                   "The bureau will check with the bank; if your account details changed, correct them here.")),
    "RC01": (Words("收款银行信息有误。", "The payee's bank is wrong."), CORRECT_ACCOUNT),
    "RR04": (Words("因监管原因未能入账。", "It could not be credited for regulatory reasons."),
             Words("请联系经办机构了解详情。", "Contact the bureau for details.")),
}
UNKNOWN_REASON = Words("银行退回了这笔款项（原因代码 {code}）。", "The bank returned the payment (reason code {code}).")
UNKNOWN_NEXT = Words("经办机构将核实原因；如账户信息有误，请更正收款账户。",
                     "The bureau will look into it; if your account details are wrong, correct them here.")

STATUS_WORDS: dict[str, tuple[Words, Words | None]] = {
    st.SUBMITTED: (Words("申请已受理，正在审核。", "Your claim was received and is being assessed."), None),
    st.ELIGIBLE: (Words("审核通过，等待批量发放。", "Your claim was approved and waits for the next payment run."), None),
    st.REJECTED: (Words("申请未获通过，原因见审核结果。", "Your claim was not approved; the decision gives the reasons."),
                  Words("如有异议，可申请复核。", "If you disagree, you may ask for a review.")),
    st.IN_BATCH: (Words("已列入发放批次，等待复核。", "Your payment is in a payment run awaiting approval."), None),
    st.PAYMENT_ISSUED: (Words("款项已发往银行，等待入账。", "The payment was sent to the bank and awaits crediting."), None),
    st.PAID: (Words("款项已到账。", "The money has been credited to your account."), None),
    st.PAYMENT_FAILED: (Words("款项未能到账。", "The payment did not reach your account."), UNKNOWN_NEXT),
    st.WITHDRAWN: (Words("您已撤回申请，本申请办理终止。", "You withdrew your claim; it is closed."),
                   Words("如需再次申请，请重新提交。", "If you change your mind, file a new claim.")),
}
_BANK_REASON_DETAIL = re.compile(r"^bank reason ([A-Za-z0-9]{1,35})$")


def language_of(accept_language: str | None) -> str:
    """The first language of Accept-Language (by q-value) that we speak, else Chinese."""
    ranked = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        ranked.append((-q, position, tag.strip().lower().split("-")[0]))
    for _, _, language in sorted(ranked):
        if language in LANGUAGES:
            return language
    return DEFAULT_LANGUAGE


def bank_reason_of(detail: str | None) -> str | None:
    """The reason code a payment_failed history entry carries ("bank reason AC04")."""
    match = _BANK_REASON_DETAIL.match(detail or "")
    return match.group(1).upper() if match else None


def explain(status: str, reason_code: str | None, language: str) -> dict[str, str | None]:
    """{"status", "message", "next_step", "reason_code"} in the language asked for."""
    message, next_step = STATUS_WORDS.get(status, (Words(status, status), None))
    text = message.in_(language)
    if status == st.PAYMENT_FAILED and reason_code:
        said, next_step = BANK_REASONS.get(reason_code, (UNKNOWN_REASON, UNKNOWN_NEXT))
        text = f"{text}{'' if language == 'zh' else ' '}{said.in_(language).format(code=reason_code)}"
    return {"status": status, "language": language, "message": text, "reason_code": reason_code,
            "next_step": next_step.in_(language) if next_step else None}
