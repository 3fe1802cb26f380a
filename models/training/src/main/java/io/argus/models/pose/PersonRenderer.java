package io.argus.models.pose;

import io.argus.models.action.Action;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Draws a person with a body (limbs, torso and head with their widths, skin, clothes and hair in
 * colour, nearer parts over farther ones) doing a sequence of actions in front of a fixed camera:
 * footage in which a pose model finds a person, for the demo and end-to-end tests of the pose
 * action model. The body moves as {@link SyntheticTracks}' bodies do ({@link Motion}); walkers and
 * runners go back and forth across the view, turning at its sides. Every frame is a pure function
 * of the seed, the actions so far and the time.
 */
public final class PersonRenderer {

    private static final double DEG = Math.PI / 180;
    /** Half the width, in metres, of the stretch a walker or runner goes back and forth along. */
    private static final double HALF_PATH = 2.6;
    private static final Color[] SKIN = {new Color(241, 194, 167), new Color(224, 172, 105),
        new Color(198, 134, 66), new Color(141, 85, 36), new Color(92, 56, 32)};

    private final Body body;
    private final Random random;
    private final Color skin;
    private final Color shirt;
    private final Color trousers;
    private final Color hair;
    private final double cameraHeight;
    private final double distance;
    private final double fovH;
    private Motion motion;
    /** Where the current action started: a point on the path, and a heading for actions in place. */
    private double pathStart;
    private double standingX;
    private double standingHeading;
    private double actionStart;

    /** A person of random build and clothes, first doing {@code action}. */
    public PersonRenderer(Action action, long seed) {
        this.random = new Random(seed);
        this.body = Body.random(random);
        this.skin = SKIN[random.nextInt(SKIN.length)];
        this.shirt = Color.getHSBColor(random.nextFloat(), 0.3f + 0.5f * random.nextFloat(),
                0.35f + 0.55f * random.nextFloat());
        this.trousers = Color.getHSBColor(random.nextFloat(), 0.2f + 0.4f * random.nextFloat(),
                0.15f + 0.4f * random.nextFloat());
        this.hair = new Color(40 + random.nextInt(60), 25 + random.nextInt(40), 15 + random.nextInt(30));
        this.cameraHeight = 1.6 + random.nextDouble();
        this.distance = 6 + random.nextDouble() * 1.5;
        this.fovH = (62 + random.nextDouble() * 8) * DEG;
        this.standingX = -1 + 2 * random.nextDouble();
        this.standingHeading = random.nextBoolean() ? -Math.PI / 2 + 0.6 : -Math.PI / 2 - 0.6;
        this.pathStart = HALF_PATH + standingX;
        doing(action, 0);
    }

    /** From {@code seconds} on (clip time), the person does {@code action} where they are now. */
    public void doing(Action action, double seconds) {
        Body.State now = motion == null ? null : state(seconds);
        // in place of sitting on nothing, a scene's idle person stands
        motion = action == Action.IDLE ? new Motion.Standing(body, random) : Motion.random(action, body, random);
        if (motion instanceof Motion.Walking w) {
            w.straight();
        }
        if (now != null) {
            standingX = now.px;
            double x = Math.max(-HALF_PATH, Math.min(HALF_PATH, now.px));
            pathStart = Math.cos(now.heading) < 0 ? 3 * HALF_PATH - x : HALF_PATH + x;
        }
        actionStart = seconds;
    }

    /** Draws the person as they are at {@code seconds} of clip time into a frame of the given size. */
    public void draw(Graphics2D g, double seconds, int width, int height) {
        double[][] joints = body.joints(state(seconds));
        double[] camera = {0, -distance, cameraHeight};
        double[] target = {0, 0, 0.55 * body.height};
        double[] forward = Body.unit(Body.sub(target, camera));
        double[] right = Body.unit(new double[] {forward[1], -forward[0], 0});
        double[] up = {right[1] * forward[2] - right[2] * forward[1], right[2] * forward[0] - right[0] * forward[2],
            right[0] * forward[1] - right[1] * forward[0]};
        double focal = width / 2.0 / Math.tan(fovH / 2);
        double[][] px = new double[joints.length][];
        for (int k = 0; k < joints.length; k++) {
            double[] rel = Body.sub(joints[k], camera);
            double z = Body.dot(rel, forward);
            px[k] = new double[] {width / 2.0 + focal * Body.dot(rel, right) / z,
                height / 2.0 - focal * Body.dot(rel, up) / z, z};
        }
        double scale = focal / px[Keypoint.NOSE.ordinal()][2] * body.height;
        List<Part> parts = new ArrayList<>();
        for (int side = 0; side < 2; side++) {
            int o = side;
            limb(parts, px, Keypoint.LEFT_HIP.ordinal() + o, Keypoint.LEFT_KNEE.ordinal() + o, 0.085 * scale, trousers);
            limb(parts, px, Keypoint.LEFT_KNEE.ordinal() + o, Keypoint.LEFT_ANKLE.ordinal() + o, 0.065 * scale,
                    trousers);
            limb(parts, px, Keypoint.LEFT_SHOULDER.ordinal() + o, Keypoint.LEFT_ELBOW.ordinal() + o, 0.06 * scale,
                    shirt);
            limb(parts, px, Keypoint.LEFT_ELBOW.ordinal() + o, Keypoint.LEFT_WRIST.ordinal() + o, 0.045 * scale, skin);
        }
        parts.add(torso(px, scale));
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        parts.sort(Comparator.comparingDouble(Part::depth).reversed());
        for (Part p : parts) {
            p.paint(g);
        }
        // feet, then the head in front of everything else
        for (int side = 0; side < 2; side++) {
            double[] a = px[Keypoint.LEFT_ANKLE.ordinal() + side];
            g.setColor(new Color(30, 30, 35));
            double r = 0.035 * scale;
            g.fill(new Ellipse2D.Double(a[0] - 1.4 * r, a[1] - r, 2.8 * r, 2 * r));
        }
        double[] nose = px[Keypoint.NOSE.ordinal()];
        double[] ears = mid(px[Keypoint.LEFT_EAR.ordinal()], px[Keypoint.RIGHT_EAR.ordinal()]);
        double[] neck = mid(px[Keypoint.LEFT_SHOULDER.ordinal()], px[Keypoint.RIGHT_SHOULDER.ordinal()]);
        double hr = 0.062 * scale;
        g.setColor(skin);
        g.setStroke(new BasicStroke((float) (0.045 * scale), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(new Line2D.Double(neck[0], neck[1], ears[0], ears[1] + hr));
        double cx = 0.6 * ears[0] + 0.4 * nose[0];
        double cy = 0.6 * ears[1] + 0.4 * nose[1];
        g.fill(new Ellipse2D.Double(cx - hr * 0.85, cy - hr, 1.7 * hr, 2.1 * hr));
        g.setColor(hair);
        g.fill(new Ellipse2D.Double(cx - hr * 0.9, cy - hr * 1.15, 1.8 * hr, 1.2 * hr));
    }

    private Body.State state(double seconds) {
        double t = seconds - actionStart;
        Body.State s;
        double speed = motion.speed();
        if (speed > 0) {
            // back and forth along x: the unfolded distance on a loop of twice the path
            double along = (pathStart + speed * t) % (4 * HALF_PATH);
            boolean out = along < 2 * HALF_PATH;
            s = motion.placed(0, 0, out ? 0 : Math.PI).at(t);
            s.px = out ? along - HALF_PATH : 3 * HALF_PATH - along;
            s.py = 0;
        } else {
            s = motion.placed(standingX, 0, standingHeading).at(t);
        }
        return s;
    }

    private record Part(double depth, java.util.function.Consumer<Graphics2D> painter) {
        void paint(Graphics2D g) {
            painter.accept(g);
        }
    }

    private static void limb(List<Part> parts, double[][] px, int from, int to, double width, Color colour) {
        double[] a = px[from];
        double[] b = px[to];
        parts.add(new Part((a[2] + b[2]) / 2, g -> {
            g.setColor(colour);
            g.setStroke(new BasicStroke((float) Math.max(1.5, width), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(new Line2D.Double(a[0], a[1], b[0], b[1]));
        }));
    }

    private Part torso(double[][] px, double scale) {
        int[] corners = {Keypoint.LEFT_SHOULDER.ordinal(), Keypoint.RIGHT_SHOULDER.ordinal(),
            Keypoint.RIGHT_HIP.ordinal(), Keypoint.LEFT_HIP.ordinal()};
        double depth = 0;
        for (int c : corners) {
            depth += px[c][2] / corners.length;
        }
        return new Part(depth, g -> {
            Polygon p = new Polygon();
            for (int c : corners) {
                p.addPoint((int) Math.round(px[c][0]), (int) Math.round(px[c][1]));
            }
            g.setColor(shirt);
            g.setStroke(new BasicStroke((float) Math.max(2, 0.09 * scale), BasicStroke.CAP_ROUND,
                    BasicStroke.JOIN_ROUND));
            g.fill(p);
            g.draw(p);
        });
    }

    private static double[] mid(double[] a, double[] b) {
        return new double[] {(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2};
    }
}
