import java.nio.file.Path;
import org.steppolicy.infer.policy.StepPolicy;

public class RobotLoop {
    public static void main(String[] args) {
        // A run, checkpoint or export-onnx folder; an export carries the predictor step:2 needs.
        try (StepPolicy policy = StepPolicy.load(Path.of(args[0]), "step:2")) {
            policy.reset(42);                                          // a new episode, seeded
            float[] observation = new float[policy.info().obsDim()];   // raw, as recorded in the demonstrations
            for (int t = 0; t < 300; t++) {
                float[] action = policy.act(observation);              // one action; the model runs every Ta steps
                // send the action to the robot, then read the next observation into `observation`
            }
        }
    }
}
