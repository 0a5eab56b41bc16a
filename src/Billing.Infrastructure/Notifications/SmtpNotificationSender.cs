using System.Security.Cryptography;
using System.Text;
using Billing.Application.Notifications;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Infrastructure.Configuration;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Billing.Infrastructure.Notifications;

/// <summary>
/// E-mail through an SMTP server with MailKit. A 5xx answer (the server will not take this message) is parked;
/// anything else (connection, 4xx, timeout) is retried by the outbox. The Message-Id is derived from the notice's
/// deduplication key, so a resend after a crash is recognisable as the same message.
/// </summary>
internal sealed class SmtpNotificationSender(SmtpOptions options, ILogger<SmtpNotificationSender> logger) : INotificationSender
{
    public bool Enabled => options.Enabled;

    public async Task<Result<string>> SendAsync(OutgoingEmail email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (!options.Enabled)
        {
            return new Error(ErrorKind.NotConfigured, "smtp_not_configured", "E-mail is not configured: SMTP_HOST is not set.");
        }

        if (!MailboxAddress.TryParse(email.Recipient, out var to))
        {
            return Error.Invalid("recipient", "recipient_invalid", "The user's e-mail address cannot be sent to.");
        }

        var rendered = NotificationTemplates.Render(email.Kind, email.Values);
        using var message = new MimeMessage
        {
            Subject = rendered.Subject,
            MessageId = $"{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(email.MessageKey)))[..40].ToLowerInvariant()}@billing",
            Body = new BodyBuilder { TextBody = rendered.Text, HtmlBody = rendered.Html }.ToMessageBody(),
        };
        message.From.Add(options.Sender!);
        message.To.Add(to);
        message.Headers.Add("X-Billing-Notification", NotificationTemplates.TemplateName(email.Kind));

        using var client = new SmtpClient { Timeout = 15_000 };
        try
        {
            await client.ConnectAsync(options.Host!, options.Port, SecureSocketOptions.Auto, cancellationToken);
            if (options.Username is not null && !client.IsSecure && !IsLoopback(options.Host!))
            {
                return new Error(ErrorKind.NotConfigured, "smtp_not_secure", "The mail server offers no TLS; the SMTP password is not sent in clear text.");
            }

            if (options.Username is not null)
            {
                await client.AuthenticateAsync(options.Username, options.Password!, cancellationToken);
            }

            var answer = await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
            return $"{NotificationTemplates.TemplateName(email.Kind)} sent to {Masked(to.Address)} ({answer.Trim()}).";
        }
        catch (SmtpCommandException e) when ((int)e.StatusCode >= 500)
        {
            logger.LogWarning("The mail server refused a {Kind} notice: {Status} {Reason}", email.Kind, (int)e.StatusCode, e.Message);
            return Error.Invalid("recipient", "smtp_refused", $"The mail server refused the message ({(int)e.StatusCode}): {e.Message}");
        }
        catch (AuthenticationException)
        {
            return new Error(ErrorKind.NotConfigured, "smtp_login_refused", "The mail server refused SMTP_USERNAME / SMTP_PASSWORD.");
        }
        catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or ServiceNotConnectedException or IOException or System.Net.Sockets.SocketException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("The mail server could not take a {Kind} notice now: {Reason}", email.Kind, e.Message);
            return new Error(ErrorKind.UpstreamUnavailable, "smtp_unavailable", $"The mail server could not be reached or asked to try later: {e.Message}");
        }
    }

    private static bool IsLoopback(string host) =>
        host == "localhost" || (System.Net.IPAddress.TryParse(host, out var ip) && System.Net.IPAddress.IsLoopback(ip));

    /// <summary>An address as logs and outcomes show it: enough to recognise, not to harvest.</summary>
    public static string Masked(string address)
    {
        var at = address.IndexOf('@', StringComparison.Ordinal);
        return at <= 1 ? "***" + address[Math.Max(at, 0)..] : $"{address[0]}***{address[at..]}";
    }
}
