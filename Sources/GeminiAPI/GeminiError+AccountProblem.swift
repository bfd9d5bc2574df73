extension GeminiError {
    /// The account-level problem this answer reports, or nil when it concerns this request alone.
    ///
    /// Conservative on purpose, since a photo whose failure is taken for the account's waits instead of failing:
    /// - key refused: `401`, an `ErrorInfo` reason `API_KEY_*` (`API_KEY_INVALID` comes with a 400), or a 400/403
    ///   whose text is about the API key or about callers without a key;
    /// - billing (key scope): `402`, reason `BILLING_DISABLED`, "credits are depleted", or a 400/403 asking to
    ///   enable billing (the free tier is not offered in the caller's country);
    /// - permission denied: any other `403` (a 403 about an uploaded File is not: it is uploaded again), and the
    ///   400 "User location is not supported";
    /// - model unavailable (model scope): a `404` on a request naming a model whose text says the model "is no
    ///   longer available" (shut down, or closed to new users) or "is not found for API version";
    /// - billing (model scope, key scope when no model is known): a `429` whose quota limit is 0, in `QuotaFailure`
    ///   or in the text ("limit: 0"): the project has no free tier for that model;
    /// - daily quota: a `429` naming a per-day quota.
    ///
    /// Any other 429, a per-minute one in particular, is a rate limit; any other 400 or 404 is the request's.
    public var accountProblem: AccountProblem? {
        guard code == .http, let http = httpStatus, !isFileGone, !isFileNotActive else { return nil }
        let text = message.lowercased()
        if http == 401 || reason?.hasPrefix("API_KEY_") == true
            || ([400, 403].contains(http) && (text.contains("api key") || text.contains("unregistered callers")))
        {
            return AccountProblem(kind: .keyRefused, scope: .key)
        }
        if http == 402 || reason == "BILLING_DISABLED" || text.contains("credits are depleted")
            || ([400, 403].contains(http) && text.contains("enable billing"))
        {
            return AccountProblem(kind: .billing, scope: .key)
        }
        if http == 403 || (http == 400 && text.contains("location is not supported")) {
            return AccountProblem(kind: .permissionDenied, scope: .key)
        }
        if http == 404, let model, text.contains("is no longer available") || text.contains("is not found for api version") {
            return AccountProblem(kind: .modelUnavailable, scope: .model(model))
        }
        if http == 429, quotaLimitZero || Self.namesZeroLimit(text) {
            return AccountProblem(kind: .billing, scope: model.map(AccountProblem.Scope.model) ?? .key)
        }
        if isDailyQuota { return AccountProblem(kind: .dailyQuota, scope: .key) }
        return nil
    }

    /// "… limit: 0, model: …", as newer 429 texts spell out a quota the project does not have.
    static func namesZeroLimit(_ text: String) -> Bool {
        var rest = Substring(text)
        while let found = rest.range(of: "limit: 0") {
            rest = rest[found.upperBound...]
            if !(rest.first?.isNumber ?? false) { return true }
        }
        return false
    }
}
