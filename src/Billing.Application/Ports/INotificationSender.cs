using Billing.Application.Common;
using Billing.Application.Notifications;
using Billing.Application.Common.Results;

namespace Billing.Application.Ports;

/// <summary>Sends e-mail to users (SMTP). Off when no mail server is configured: then nothing is queued.</summary>
public interface INotificationSender
{
    bool Enabled { get; }

    /// <summary>Renders and sends; a refusal that retrying cannot fix is <see cref="ErrorKind.Validation"/>.</summary>
    Task<Result<string>> SendAsync(OutgoingEmail email, CancellationToken cancellationToken);
}
