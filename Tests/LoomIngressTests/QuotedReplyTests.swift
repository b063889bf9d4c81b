import Testing

@testable import LoomIngress

/// What an e-mail reply keeps once the quoted conversation below it is dropped.
@Suite struct QuotedReplyTests {
    @Test func anAttributionWrappedOverTwoLinesEndsTheReply() {
        let text = "Yes, please close it.\r\n\r\nOn Fri, Nov 28, 2026 at 10:00 AM Support Agent <agent@support.example.com>\r\n"
            + "wrote:\r\n> Shall I close case C-1001?\r\n"
        #expect(EmailInbound.withoutQuotedReply(text) == "Yes, please close it.")
    }

    @Test func aOneLineAttributionAndQuotedLinesGoToo() {
        let text = "Thanks!\nOn Fri, Nov 28, 2026, Agent <a@b.example> wrote:\n> earlier"
        #expect(EmailInbound.withoutQuotedReply(text) == "Thanks!")
    }

    @Test func aLineThatMerelyStartsWithOnStays() {
        let text = "On second thought, keep it open.\nThe customer wrote:\nplease wait"
        #expect(EmailInbound.withoutQuotedReply(text) == text)
    }
}
