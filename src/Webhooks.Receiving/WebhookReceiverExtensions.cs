using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Webhooks.Receiving.Verification;

namespace Webhooks.Receiving;

/// <summary>Maps a delivery endpoint: <c>app.MapWebhookReceiver("/hooks", (WebhookEvent e, CancellationToken ct) => …)</c>.</summary>
public static class WebhookReceiverExtensions
{
    /// <summary>
    /// Maps <c>POST <paramref name="pattern"/></c>: each verified delivery is handed to <paramref name="handler"/> and
    /// answered 204 when it completes; a handler that throws is answered 500, so the dispatcher retries. A request that
    /// fails verification is answered with a problem body naming the reason (401 mostly), and the handler is not called.
    /// </summary>
    public static RouteHandlerBuilder MapWebhookReceiver(
        this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern, Func<WebhookEvent, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return endpoints.MapWebhookReceiver(pattern, async (received, cancellationToken) =>
        {
            await handler(received, cancellationToken);
            return Results.NoContent();
        });
    }

    /// <summary>
    /// Maps <c>POST <paramref name="pattern"/></c>: each verified delivery is handed to <paramref name="handler"/>, whose
    /// result is the response (a non-2xx one makes the dispatcher retry); a handler that throws is answered 500. A
    /// request that fails verification is answered with a problem body naming the reason, and the handler is not called.
    /// </summary>
    public static RouteHandlerBuilder MapWebhookReceiver(
        this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern, Func<WebhookEvent, CancellationToken, Task<IResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(handler);
        if (endpoints.ServiceProvider.GetService<DeliveryVerifier>() is null)
        {
            throw new InvalidOperationException("Call services.AddWebhookReceiver(...) before MapWebhookReceiver.");
        }

        var logger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebhookReceiverExtensions).FullName!);
        Func<HttpContext, Task<IResult>> receive = async context =>
        {
            var cancellationToken = context.RequestAborted;
            var verifier = context.RequestServices.GetRequiredService<DeliveryVerifier>();
            var (received, rejection) = await verifier.VerifyAsync(context.Request, cancellationToken);
            if (rejection is not null)
            {
                // The dispatcher's probe is meant to be refused; its own line tells it apart (same level: a forger can send the header too).
                if (context.Request.Headers.ContainsKey(DeliveryHeaders.Probe))
                {
                    ReceiverLog.ProbeRefused(logger, rejection.Reason);
                }
                else
                {
                    ReceiverLog.Refused(logger, rejection.Reason, rejection.Detail);
                }

                return rejection.ToResult();
            }

            try
            {
                return await handler(received!, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // The exception stays in the log: its text may hold what the sender must not see.
                ReceiverLog.HandlerFailed(logger, e, received!.EventId, received.EventCode, received.CallAttempt);
                return Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "The handler failed; the delivery will be retried.");
            }
        };
        return endpoints.MapPost(pattern, receive);
    }
}
