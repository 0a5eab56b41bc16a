using System.Net;
using System.Net.Sockets;
using System.Text;
using Billing.Sandbox.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using MimeKit;

namespace Billing.Sandbox.Mail;

/// <summary>
/// A mail server on loopback that speaks SMTP (RFC 5321: EHLO, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA with dot
/// stuffing, RSET, NOOP, QUIT) and keeps every message it accepts, shown at <c>GET /_sandbox/mail</c>. It can be
/// told to refuse messages (5xx, as a server that will never take them) or to be unavailable (421, try later).
/// It offers no STARTTLS, as a local relay would not.
/// </summary>
public sealed class SmtpStandIn : StandInHost
{
    private readonly Lock _gate = new();
    private readonly List<CapturedMail> _messages = [];
    private readonly CancellationTokenSource _stopping = new();
    private TcpListener? _listener;

    /// <summary>When set, both must be given with AUTH before MAIL FROM (530 otherwise).</summary>
    public (string Username, string Password)? Credentials { get; set; }

    /// <summary>When set, the end of DATA is answered with this reply (for example "554 5.7.1 Message rejected").</summary>
    public string? Refusal { get; set; }

    /// <summary>When true, each connection is greeted with 421 and closed: the server is down for now.</summary>
    public bool Unavailable { get; set; }

    public int SmtpPort { get; private set; }

    public IReadOnlyList<CapturedMail> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    public IReadOnlyList<CapturedMail> To(string address) =>
        Messages.Where(m => m.To.Contains(address, StringComparer.OrdinalIgnoreCase)).ToList();

    public void Clear()
    {
        lock (_gate)
        {
            _messages.Clear();
        }
    }

    /// <summary>Starts the HTTP side (for <c>/_sandbox/mail</c>) and the SMTP listener on <paramref name="smtpPort"/> (0: any free port).</summary>
    public async Task StartAsync(int httpPort, int smtpPort, CancellationToken cancellationToken = default)
    {
        _listener = new TcpListener(IPAddress.Loopback, smtpPort);
        _listener.Start();
        SmtpPort = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync(_listener, _stopping.Token);
        await StartAsync(httpPort, cancellationToken);
    }

    protected override void Map(WebApplication app)
    {
        app.MapGet("/_sandbox/mail", () => Results.Json(Messages.Reverse().Select(m => new
        {
            m.MessageId,
            m.From,
            m.To,
            m.Subject,
            m.Notification,
            m.Text,
            m.Html,
            m.ReceivedAt,
        })));
        app.MapDelete("/_sandbox/mail", () =>
        {
            Clear();
            return Results.NoContent();
        });
    }

    protected override async ValueTask OnStoppingAsync()
    {
        await _stopping.CancelAsync();
        _listener?.Stop();
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client, cancellationToken), cancellationToken);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using var _ = client;
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
        try
        {
            if (Unavailable)
            {
                await writer.WriteLineAsync("421 4.3.2 Service not available, try again later");
                return;
            }

            await writer.WriteLineAsync("220 sandbox.smtp ESMTP ready");
            await new SmtpSession(this, reader, writer).RunAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away mid-session: nothing was accepted.
        }
    }

    private void Keep(string raw, string from, IReadOnlyList<string> to)
    {
        using var message = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(raw)));
        lock (_gate)
        {
            _messages.Add(new CapturedMail(
                message.MessageId,
                from,
                to,
                message.Subject ?? string.Empty,
                message.Headers["X-Billing-Notification"],
                message.TextBody,
                message.HtmlBody,
                DateTimeOffset.UtcNow));
        }
    }

    /// <summary>One SMTP conversation: the state between EHLO and QUIT.</summary>
    private sealed class SmtpSession(SmtpStandIn server, StreamReader reader, StreamWriter writer)
    {
        private bool _authenticated;
        private string? _from;
        private readonly List<string> _to = [];

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                var verb = (line.Split(' ', 2)[0]).ToUpperInvariant();
                var argument = line.Length > verb.Length ? line[(verb.Length + 1)..] : string.Empty;
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-sandbox.smtp");
                        await writer.WriteLineAsync("250-8BITMIME");
                        await writer.WriteLineAsync("250 AUTH PLAIN LOGIN");
                        break;
                    case "HELO":
                        await writer.WriteLineAsync("250 sandbox.smtp");
                        break;
                    case "AUTH":
                        await AuthenticateAsync(argument, cancellationToken);
                        break;
                    case "MAIL":
                        if (server.Credentials is not null && !_authenticated)
                        {
                            await writer.WriteLineAsync("530 5.7.0 Authentication required");
                            break;
                        }

                        _from = Address(argument);
                        _to.Clear();
                        await writer.WriteLineAsync("250 2.1.0 Sender OK");
                        break;
                    case "RCPT":
                        if (_from is null)
                        {
                            await writer.WriteLineAsync("503 5.5.1 MAIL first");
                            break;
                        }

                        _to.Add(Address(argument));
                        await writer.WriteLineAsync("250 2.1.5 Recipient OK");
                        break;
                    case "DATA":
                        await DataAsync(cancellationToken);
                        break;
                    case "RSET":
                        _from = null;
                        _to.Clear();
                        await writer.WriteLineAsync("250 2.0.0 OK");
                        break;
                    case "NOOP":
                        await writer.WriteLineAsync("250 2.0.0 OK");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 2.0.0 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 5.5.2 Command not implemented");
                        break;
                }
            }
        }

        private async Task DataAsync(CancellationToken cancellationToken)
        {
            if (_from is null || _to.Count == 0)
            {
                await writer.WriteLineAsync("503 5.5.1 RCPT first");
                return;
            }

            await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
            var raw = new StringBuilder();
            while (await reader.ReadLineAsync(cancellationToken) is { } line && line != ".")
            {
                raw.Append(line.StartsWith("..", StringComparison.Ordinal) ? line[1..] : line).Append("\r\n");
            }

            if (server.Refusal is { } refusal)
            {
                await writer.WriteLineAsync(refusal);
            }
            else
            {
                server.Keep(raw.ToString(), _from, [.. _to]);
                await writer.WriteLineAsync("250 2.0.0 Queued");
            }

            _from = null;
            _to.Clear();
        }

        private async Task AuthenticateAsync(string argument, CancellationToken cancellationToken)
        {
            var parts = argument.Split(' ', 2);
            string? username = null, password = null;
            if (parts[0].Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
            {
                var encoded = parts.Length > 1 ? parts[1] : await AskAsync(string.Empty, cancellationToken);
                var fields = Decode(encoded)?.Split('\0');
                (username, password) = fields is { Length: 3 } ? (fields[1], fields[2]) : (null, null);
            }
            else if (parts[0].Equals("LOGIN", StringComparison.OrdinalIgnoreCase))
            {
                username = Decode(parts.Length > 1 ? parts[1] : await AskAsync("VXNlcm5hbWU6", cancellationToken));
                password = Decode(await AskAsync("UGFzc3dvcmQ6", cancellationToken));
            }
            else
            {
                await writer.WriteLineAsync("504 5.5.4 Unrecognized authentication type");
                return;
            }

            _authenticated = server.Credentials is { } expected && expected.Username == username && expected.Password == password;
            await writer.WriteLineAsync(_authenticated ? "235 2.7.0 Authentication successful" : "535 5.7.8 Authentication credentials invalid");
        }

        private async Task<string> AskAsync(string challenge, CancellationToken cancellationToken)
        {
            await writer.WriteLineAsync($"334 {challenge}".TrimEnd());
            return await reader.ReadLineAsync(cancellationToken) ?? string.Empty;
        }

        private static string? Decode(string value)
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(value.Trim()));
            }
            catch (FormatException)
            {
                return null;
            }
        }

        /// <summary>The address in <c>FROM:&lt;a@b&gt; SIZE=…</c> or <c>TO:&lt;a@b&gt;</c>.</summary>
        private static string Address(string argument)
        {
            var start = argument.IndexOf('<', StringComparison.Ordinal);
            var end = argument.IndexOf('>', StringComparison.Ordinal);
            return start >= 0 && end > start ? argument[(start + 1)..end] : argument[(argument.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
    }
}
