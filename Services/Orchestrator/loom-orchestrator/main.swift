import LoomOrchestrator
import LoomServiceRuntime

await ServiceMain.run(service: "orchestrator", OrchestratorService.assemble)
