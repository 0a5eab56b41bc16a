using Billing.Application.Common;
namespace Billing.Application.Usage;

/// <summary>
/// What Lago made of a batch: events it took now, events it already had (an earlier delivery that went through
/// though its answer was lost), and events it refuses for good, with its reason.
/// </summary>
public sealed record UsageDelivery(IReadOnlyList<string> Delivered, IReadOnlyList<string> AlreadyDelivered, IReadOnlyDictionary<string, string> Refused);
