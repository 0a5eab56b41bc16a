using Billing.Domain.Plans;

namespace Billing.Application.Common.Ports;

public sealed record ChangePreview(long AmountDue, long Subtotal, long Total, string Currency, IReadOnlyList<ChangePreviewLine> Lines);
