import LoomServiceRuntime
import LoomTrust

await ServiceMain.run(service: "trust", TrustService.assemble)
