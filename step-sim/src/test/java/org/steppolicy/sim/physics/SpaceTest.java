package org.steppolicy.sim.physics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpaceTest {
    private static final double[][] BAR = {{-60, 30}, {60, 30}, {60, 0}, {-60, 0}};

    @Test
    void quickHullReordersLikeChipmunk() {
        Poly p = new Poly(Body.dynamic(1, 1), BAR);
        // Chipmunk starts at the lowest-x (then lowest-y) point and winds counter-clockwise in y-up terms.
        assertArrayEquals(new double[] {-60, 0}, p.vertices()[0]);
        assertArrayEquals(new double[] {60, 0}, p.vertices()[1]);
        assertArrayEquals(new double[] {60, 30}, p.vertices()[2]);
        assertArrayEquals(new double[] {-60, 30}, p.vertices()[3]);
        assertArrayEquals(new double[] {0, 15}, p.centroid(), 1e-12);
    }

    @Test
    void momentOfTheBarAboutTheOrigin() {
        // m (w² + h²) / 12 + m |centroid|² = (14400 + 900) / 12 + 225
        assertEquals(1500.0, Poly.momentForPoly(1, BAR), 1e-9);
    }

    @Test
    void settingTheAngleTurnsAboutTheCentreOfGravity() {
        Body b = Body.dynamic(1, 3000);
        b.setCenterOfGravity(0, 45);
        b.setPosition(100, 200);
        b.setAngle(Math.PI / 2);
        // origin = (x + 45 sin θ, y + 45 - 45 cos θ)
        assertEquals(145, b.positionX(), 1e-12);
        assertEquals(245, b.positionY(), 1e-12);
    }

    /** A box resting against nothing stays where it is: zero damping means no drift. */
    @Test
    void untouchedBlockStaysPut() {
        Space space = new Space();
        space.setDamping(0);
        Body block = Body.dynamic(1, 3000);
        block.setPosition(200, 200);
        space.addBody(block);
        space.addShape(new Poly(block, BAR));
        block.setVelocity(50, 0); // wiped by damping 0 at the first velocity integration
        space.step(0.01);
        double x = block.positionX();
        for (int i = 0; i < 100; i++) space.step(0.01);
        assertEquals(x, block.positionX(), 0);
        assertEquals(0, space.activeArbiters());
    }

    @Test
    void kinematicAgentPassesThroughWallsAndPushesTheBlock() {
        Space space = new Space();
        space.setDamping(0);
        space.addShape(new Segment(space.staticBody(), 300, 0, 300, 500, 2));
        Body agent = Body.kinematic();
        agent.setPosition(100, 100);
        space.addBody(agent);
        space.addShape(new Circle(agent, 15, 0, 0));
        agent.setVelocity(1000, 0);
        for (int i = 0; i < 40; i++) space.step(0.01);
        assertEquals(500, agent.positionX(), 1e-9, "no wall contact for an infinite-mass pair");

        Body block = Body.dynamic(1, 3000);
        block.setPosition(170, 350); // bar spans x 110..230, y 350..380; the wall's face is at x = 298
        space.addBody(block);
        space.addShape(new Poly(block, BAR));
        agent.setPosition(80, 365);
        agent.setVelocity(100, 0);
        double x0 = block.positionX();
        for (int i = 0; i < 50; i++) space.step(0.01);
        // The agent (radius 15) reaches x = 130 and pushes the block's left face (x 110) ahead of it.
        assertTrue(block.positionX() > x0 + 30, "pushed: " + block.positionX());
        for (int i = 0; i < 200; i++) space.step(0.01);
        double rightFace = block.positionX() + 60;
        assertTrue(rightFace < 298 + 1, "held by the static wall: right face at " + rightFace);
        assertTrue(rightFace > 290, "pushed up to the wall: right face at " + rightFace);
    }
}
