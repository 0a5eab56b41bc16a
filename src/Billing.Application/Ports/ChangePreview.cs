using Billing.Application.Common;
using Billing.Domain.Plans;

namespace Billing.Application.Ports;

/// <summary>What a change would bill now; <see cref="Tax"/> is part of <see cref="Total"/> (zero without Stripe Tax).</summary>
public sealed record ChangePreview(long AmountDue, long Subtotal, long Total, string Currency, IReadOnlyList<ChangePreviewLine> Lines, long Tax = 0);
