package io.argus.models.action;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Point2D;

/**
 * Draws a {@link Figure} at a moment of its action: walking and running with a gait whose swing,
 * knee bend and speed differ, waving one raised arm, jumping with arms up, or standing idle. The
 * pose is a pure function of the figure and the time.
 */
public final class ActionRenderer {

    private ActionRenderer() {}

    /** Pose angles in radians: 0 points down, positive swings towards the facing direction. */
    private record Pose(double x, int facing, double lift, double lean, double hipL, double hipR, double kneeL, double kneeR,
            double shoulderL, double shoulderR, double elbowL, double elbowR) {}

    /** Draws the figure as it is {@code t} seconds into its action, in a scene of the given size. */
    public static void draw(Graphics2D g, Figure f, double t, int sceneWidth, int sceneHeight) {
        if (f.absent) {
            return;
        }
        Pose p = pose(f, t, sceneWidth);
        int facing = p.facing;
        double h = f.height;
        double thigh = 0.26 * h;
        double shin = 0.25 * h;
        double torso = 0.31 * h;
        double upperArm = 0.17 * h;
        double forearm = 0.16 * h;
        double headR = 0.075 * h;
        double groundY = f.groundY * sceneHeight;
        Point2D hip = new Point2D.Double(p.x, groundY - thigh - shin - p.lift);
        Point2D neck = along(hip, Math.PI - p.lean, torso, facing);
        Point2D head = along(neck, Math.PI - p.lean, headR * 1.2, facing);

        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(f.grey, f.grey, f.grey));
        float limb = (float) Math.max(1.5, f.thickness * h);
        g.setStroke(new BasicStroke(limb * 1.7f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(new Line2D.Double(hip, neck));
        g.setStroke(new BasicStroke(limb, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        limb(g, hip, p.hipL, thigh, p.hipL - p.kneeL, shin, facing);
        limb(g, hip, p.hipR, thigh, p.hipR - p.kneeR, shin, facing);
        limb(g, neck, p.shoulderL, upperArm, p.shoulderL + p.elbowL, forearm, facing);
        limb(g, neck, p.shoulderR, upperArm, p.shoulderR + p.elbowR, forearm, facing);
        g.fill(new Ellipse2D.Double(head.getX() - headR, head.getY() - headR, 2 * headR, 2 * headR));
    }

    private static Pose pose(Figure f, double t, int sceneWidth) {
        double phi = 2 * Math.PI * f.frequency * t + f.phase;
        double a = f.amplitude;
        double[] xd = position(f, t, sceneWidth);
        double x = xd[0];
        int facing = (int) xd[1];
        return switch (f.action) {
            case WALKING -> new Pose(x, facing, 0.015 * f.height * Math.abs(Math.sin(phi)), 0.04,
                    0.42 * a * Math.sin(phi), -0.42 * a * Math.sin(phi),
                    0.5 * Math.max(0, Math.sin(phi + Math.PI / 2)), 0.5 * Math.max(0, -Math.sin(phi + Math.PI / 2)),
                    -0.35 * a * Math.sin(phi), 0.35 * a * Math.sin(phi), 0.25, 0.25);
            case RUNNING -> new Pose(x, facing, 0.06 * f.height * Math.abs(Math.sin(phi)), 0.28,
                    0.85 * a * Math.sin(phi), -0.85 * a * Math.sin(phi),
                    0.3 + 1.1 * Math.max(0, Math.sin(phi + Math.PI / 2)),
                    0.3 + 1.1 * Math.max(0, -Math.sin(phi + Math.PI / 2)),
                    -0.8 * a * Math.sin(phi), 0.8 * a * Math.sin(phi), 1.4, 1.4);
            case WAVING -> new Pose(x, facing, 0, 0.02 * Math.sin(phi / 3), 0.08, -0.08, 0, 0,
                    0.12, 2.6 + 0.45 * a * Math.sin(phi), 0.1, 0.35 + 0.35 * Math.sin(phi + 1));
            case JUMPING -> {
                double air = Math.max(0, Math.sin(phi));
                double crouch = Math.max(0, -Math.sin(phi));
                yield new Pose(x, facing, 0.32 * a * f.height * air - 0.06 * f.height * crouch, 0.05 * crouch,
                        0.1 + 0.5 * crouch, 0.1 + 0.5 * crouch, 1.0 * crouch + 0.3 * air, 1.0 * crouch + 0.3 * air,
                        0.3 + 2.4 * air, 0.3 + 2.4 * air, 0.2, 0.2);
            }
            case IDLE -> new Pose(x, facing, 0, 0.03 * Math.sin(phi), 0.09, -0.09, 0.02, 0.02,
                    0.1 + 0.03 * Math.sin(phi), -0.1 - 0.03 * Math.sin(phi), 0.1, 0.1);
        };
    }

    /**
     * Horizontal position of the feet and the direction faced: walkers and runners go back and forth
     * across the scene, turning at its edges.
     */
    private static double[] position(Figure f, double t, int sceneWidth) {
        if (f.speed == 0) {
            return new double[] {f.startX * sceneWidth, f.facing};
        }
        double min = 0.05 * sceneWidth;
        double span = 0.9 * sceneWidth;
        // unfolded distance along a back-and-forth track of length 2 * span; the first half moves right
        double start = f.startX * sceneWidth - min;
        double travelled = (f.facing > 0 ? start : 2 * span - start) + Math.abs(f.speed) * f.height * t;
        double folded = Math.floorMod((long) Math.floor(travelled * 1000), (long) Math.round(2 * span * 1000)) / 1000.0;
        boolean outward = folded <= span;
        return new double[] {min + (outward ? folded : 2 * span - folded), outward ? 1 : -1};
    }

    private static void limb(Graphics2D g, Point2D root, double a1, double l1, double a2, double l2, int facing) {
        Point2D joint = along(root, a1, l1, facing);
        Point2D end = along(joint, a2, l2, facing);
        g.draw(new Line2D.Double(root, joint));
        g.draw(new Line2D.Double(joint, end));
    }

    private static Point2D along(Point2D from, double angle, double length, int facing) {
        return new Point2D.Double(from.getX() + facing * Math.sin(angle) * length, from.getY() + Math.cos(angle) * length);
    }
}
