import Foundation
import LoomConfig
import Testing

@testable import LoomIngress

/// The ingress's access decision: which principal a token is, and what each role may do.
@Suite struct HTTPAuthorizerTests {
    static let ops = HTTPPrincipal(name: "ops", role: .operator, origin: .client)
    static let ana = HTTPPrincipal(name: "ana", role: .approver, origin: .client)
    static let shop = HTTPPrincipal(name: "shop", role: .client, origin: .client)
    static let leads = HTTPPrincipal(name: "leads", role: .approver, origin: .approverGroup)

    static func authorizer(messagesNeedToken: Bool = true, withOperator: Bool = true) -> HTTPAuthorizer {
        var tokens: [(principal: HTTPPrincipal, token: String)] = [
            (ana, "ana-token"), (shop, "shop-token"), (leads, "leads-token"),
        ]
        if withOperator { tokens.append((ops, "ops-token")) }
        return HTTPAuthorizer(tokens: tokens, messagesNeedToken: messagesNeedToken)
    }

    static let admin: [HTTPAction] = [.cancelExecution, .closeSession, .listDrafts, .decideDraft]
    static let approvals: [HTTPAction] = [.listApprovals, .decideApproval]

    @Test func tokensAreRecognisedByTheirBearerHeaderOnly() {
        let auth = Self.authorizer()
        #expect(auth.identify(nil) == .anonymous)
        #expect(auth.identify("") == .anonymous)
        #expect(auth.identify("Bearer ops-token") == .principal(Self.ops))
        #expect(auth.identify("bearer  shop-token ") == .principal(Self.shop))
        #expect(auth.identify("Bearer ops-token2") == .unknown)
        #expect(auth.identify("Bearer ") == .unknown)
        #expect(auth.identify("Basic b3BzOm9wcy10b2tlbg==") == .unknown)
        #expect(auth.identify("ops-token") == .unknown)
    }

    @Test func operatorsMayDoEverything() {
        let auth = Self.authorizer()
        let reads: [HTTPAction] = [.readExecution(owner: "token:shop"), .readExecution(owner: nil)]
        for action in Self.admin + Self.approvals + reads + [.sendMessage] {
            #expect(auth.decide(action, authorization: "Bearer ops-token") == .allowed(Self.ops), "\(action)")
        }
    }

    @Test func approversDecideApprovalsAndNothingElse() {
        let auth = Self.authorizer()
        for token in ["ana-token", "leads-token"] {
            for action in Self.approvals {
                guard case .allowed = auth.decide(action, authorization: "Bearer \(token)") else {
                    Issue.record("\(token) may not \(action)")
                    continue
                }
            }
            for action in Self.admin + [.sendMessage, .readExecution(owner: nil)] {
                guard case .forbidden = auth.decide(action, authorization: "Bearer \(token)") else {
                    Issue.record("\(token) may \(action)")
                    continue
                }
            }
        }
    }

    @Test func clientsSendMessagesAndReadOnlyTheirOwnExecutions() {
        let auth = Self.authorizer()
        #expect(auth.decide(.sendMessage, authorization: "Bearer shop-token") == .allowed(Self.shop))
        let own = auth.decide(.readExecution(owner: "token:shop"), authorization: "Bearer shop-token")
        #expect(own == .allowed(Self.shop))
        for action in Self.admin + Self.approvals + [.readExecution(owner: "token:other"), .readExecution(owner: nil)] {
            guard case .forbidden(let detail) = auth.decide(action, authorization: "Bearer shop-token") else {
                Issue.record("the client may \(action)")
                continue
            }
            #expect(detail.contains("'shop' (role client)"))
        }
    }

    @Test func unknownTokensAreRefusedEverywhereButCountAsNoneOnTheOpenAPI() {
        let open = Self.authorizer(messagesNeedToken: false)
        let closed = Self.authorizer(messagesNeedToken: true)
        for action in Self.admin + Self.approvals {
            for auth in [open, closed] {
                guard case .unauthorized = auth.decide(action, authorization: "Bearer guessed") else {
                    Issue.record("an unknown token may \(action)")
                    continue
                }
            }
        }
        // Stock clients always send a key: on the open API an unknown one is no key at all.
        for action in [HTTPAction.sendMessage, .readExecution(owner: nil)] {
            #expect(open.decide(action, authorization: "Bearer sk-unused") == .allowed(nil))
            guard case .unauthorized = closed.decide(action, authorization: "Bearer guessed") else {
                Issue.record("an unknown token may \(action) once client tokens exist")
                continue
            }
        }
    }

    @Test func withoutClientTokensOnlyMessagingIsOpen() {
        let auth = Self.authorizer(messagesNeedToken: false)
        #expect(auth.decide(.sendMessage, authorization: nil) == .allowed(nil))
        #expect(auth.decide(.readExecution(owner: nil), authorization: nil) == .allowed(nil))
        for action in Self.admin + Self.approvals + [.readExecution(owner: "token:shop")] {
            guard case .unauthorized = auth.decide(action, authorization: nil) else {
                Issue.record("anyone may \(action)")
                continue
            }
        }
    }

    @Test func onceClientTokensExistMessagesNeedOne() {
        let auth = Self.authorizer(messagesNeedToken: true)
        for action in [HTTPAction.sendMessage, .readExecution(owner: nil)] {
            guard case .unauthorized = auth.decide(action, authorization: nil) else {
                Issue.record("anyone may \(action)")
                continue
            }
        }
    }

    @Test func withNoOperatorTheAdminEndpointsStayClosedAndSayHowToOpenThem() {
        let auth = Self.authorizer(messagesNeedToken: false, withOperator: false)
        for action in Self.admin {
            guard case .unauthorized(let detail) = auth.decide(action, authorization: nil) else {
                Issue.record("anyone may \(action)")
                continue
            }
            #expect(detail.contains("clients.yaml") && detail.contains("loom up"))
        }
    }

    @Test func decisionsAreRecordedUnderTheTokensName() {
        #expect(Self.ana.actor == "ana" && Self.ana.id == "token:ana")
        // A group's token names no one; the trust service records the group.
        #expect(Self.leads.actor == nil && Self.leads.id == "approvers:leads")
    }

    @Test func metadataTokensBecomePrincipals() {
        var metadata = LoomMetadata(agents: [:], providers: [:], endpoints: [:], routes: [], records: RecordStoreSeed())
        metadata.clients = [
            ClientToken(name: "ops", role: .operator, token: SecretReference("env:OPS")),
            ClientToken(name: "unset", role: .client, token: SecretReference("env:UNSET")),
        ]
        metadata.trust.approvals.approvers = ["leads": .init(tokens: [SecretReference("env:LEADS")])]
        let environment = ["OPS": "o", "LEADS": "l", HTTPAuthorizer.operatorTokenVariable: "generated"]
        let (auth, unresolved) = HTTPAuthorizer.configured(metadata, environment: environment)
        #expect(unresolved == ["unset (env:UNSET)"])
        #expect(auth.messagesNeedToken)  // a client is configured, even if its token is not set
        #expect(auth.identify("Bearer o") == .principal(Self.ops))
        #expect(auth.identify("Bearer l") == .principal(Self.leads))
        let generated = HTTPPrincipal(name: "operator", role: .operator, origin: .client)
        #expect(auth.identify("Bearer generated") == .principal(generated))
        #expect(auth.identify("Bearer env:UNSET") == .unknown)
    }
}
