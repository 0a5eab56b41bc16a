using Billing.Domain.Accounts;
using Billing.Domain.Common;
using Billing.Domain.Disputes;
using Billing.Domain.Invoices;

namespace Billing.Domain.Tests;

/// <summary>The codes of the domain's states, as the API shows them and the store keeps them, derived from their names and read back.</summary>
public sealed class StateCodeTests
{
    [Test]
    public void Every_state_has_a_snake_case_code_that_reads_back_to_it()
    {
        Assert.That(DisputeStatus.WarningNeedsResponse.Code(), Is.EqualTo("warning_needs_response"));
        Assert.That(RefundStatus.RequiresAction.Code(), Is.EqualTo("requires_action"));
        Assert.That(InvoiceStatus.Uncollectible.Code(), Is.EqualTo("uncollectible"));
        Assert.That(DiscountDuration.Repeating.Code(), Is.EqualTo("repeating"));
        Assert.That(Enum.GetValues<DisputeStatus>().Select(s => StateCodes.ParseDispute(s.Code())), Is.EqualTo(Enum.GetValues<DisputeStatus>()));
        Assert.That(Enum.GetValues<RefundStatus>().Select(s => StateCodes.ParseRefund(s.Code())), Is.EqualTo(Enum.GetValues<RefundStatus>()));
        Assert.That(Enum.GetValues<InvoiceStatus>().Select(s => InvoiceStatusCodes.Parse(s.Code())), Is.EqualTo(Enum.GetValues<InvoiceStatus>()));
        Assert.That(Enum.GetValues<DiscountDuration>().Select(s => DiscountDurationCodes.Parse(s.Code())), Is.EqualTo(Enum.GetValues<DiscountDuration>()));
    }

    [TestCase("charge_refunded")]
    [TestCase("3")]
    [TestCase("")]
    public void A_code_of_no_state_is_refused_rather_than_guessed(string code)
    {
        Assert.Throws<FormatException>(() => StateCodes.ParseDispute(code));
        Assert.Throws<FormatException>(() => InvoiceStatusCodes.Parse(code));
        Assert.That(DiscountDurationCodes.TryParse(code, out _), Is.False);
    }
}
