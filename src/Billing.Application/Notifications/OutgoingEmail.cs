using Billing.Application.Common;
namespace Billing.Application.Notifications;

/// <summary>An e-mail ready to render: the template, the address, the values its placeholders take, and a stable id.</summary>
public sealed record OutgoingEmail(NotificationKind Kind, string Recipient, IReadOnlyDictionary<string, string> Values, string MessageKey);
