// The tenant's listener cap is Webhooks:Limits:MaxListenersPerTenant, owned (bound and validated) by the one options
// class of that section. This alias keeps the router's IOptions<ListenerLimitsOptions> naming that class until the
// router names it itself; then this file goes.
global using ListenerLimitsOptions = Webhooks.Abstractions.Limits.WebhooksLimitsOptions;
